// The settings form: what the operator edits, built from GET /api/settings and turned back into the update the
// gateway checks; and the problems of a refused save, each found by its field's path. Pure, so tested in Node.
import { ALERT_THRESHOLDS, type AlertThreshold, type SettingsCamera, type SettingsUpdate, type SettingsView } from '../../../backend/contracts/index.js';

export interface SettingsForm {
  revision: string;
  cameras: SettingsCamera[];
  /** As typed: one broker per line or separated by commas. */
  brokers: string;
  /** As typed, so a half-typed number is not lost; checked by the gateway. */
  thresholds: Record<AlertThreshold, string>;
}

export type Problems = { path: string; message: string }[];

export function formOf(settings: SettingsView): SettingsForm {
  return {
    revision: settings.revision,
    cameras: settings.cameras,
    brokers: settings.kafka_brokers.join(', '),
    thresholds: Object.fromEntries(ALERT_THRESHOLDS.map((name) => [name, String(settings.alert_thresholds[name])])) as SettingsForm['thresholds'],
  };
}

/** A field that is not a number is a problem here, before anything is sent. */
export function updateOf(form: SettingsForm): { update: SettingsUpdate; problems: Problems } {
  const problems: Problems = [];
  const thresholds: Partial<Record<AlertThreshold, number>> = {};
  for (const name of ALERT_THRESHOLDS) {
    const value = Number(form.thresholds[name].trim());
    if (form.thresholds[name].trim() === '' || !Number.isFinite(value)) problems.push({ path: `alert_thresholds.${name}`, message: 'a number' });
    else thresholds[name] = value;
  }
  const brokers = form.brokers.split(/[\s,]+/).filter((broker) => broker !== '');
  return { update: { revision: form.revision, cameras: form.cameras, kafka_brokers: brokers, alert_thresholds: thresholds }, problems };
}

/** A new camera's row: the next free cam-NN id, disabled until its URL is filled in and tested. */
export function newCamera(cameras: readonly SettingsCamera[]): SettingsCamera {
  const taken = new Set(cameras.map((camera) => camera.id));
  let number = cameras.length + 1;
  while (taken.has(`cam-${String(number).padStart(2, '0')}`)) number++;
  const id = `cam-${String(number).padStart(2, '0')}`;
  return { id, name: id, url: '', fps: 1, enabled: false, loop: false };
}

/** The problems of one field (`cameras[1].url`), or of a camera row as a whole (`cameras[1]`). */
export function problemsAt(problems: Problems, path: string): string[] {
  return problems.filter((problem) => problem.path === path).map((problem) => problem.message);
}
