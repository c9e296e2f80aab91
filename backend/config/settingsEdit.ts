// The settings the UI may change, read from and written into the config file's text: cameras, Kafka brokers and
// the system alert thresholds. Edits go into the YAML document (other sections, comments and ${VAR} references
// stay as written), and the result must pass the same loader as at start-up, or nothing is written.
import { createHash } from 'node:crypto';
import { isMap, parseDocument } from 'yaml';
import { ALERT_THRESHOLDS, type SettingsCamera, type SettingsUpdate, type SettingsView } from '../contracts/index.js';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import { appConfigSchema } from './appConfigSchema.js';
import type { Env } from './envSubstitution.js';
import { parseConfigText } from './loadConfigFile.js';

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):([^@\s]*)@/i;
const REFERENCE_ONLY = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}$/;
const MASK = '***';

export function settingsRevision(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

/** A password written in a URL is shown as ***; a ${VAR} reference is shown as it is. */
export function maskUrlPassword(url: string): string {
  return url.replace(USERINFO, (match, head: string, password: string) => (REFERENCE_ONLY.test(password) ? match : `${head}:${MASK}@`));
}

const hasPlaintextPassword = (url: string): boolean => {
  const password = USERINFO.exec(url)?.[2];
  return password !== undefined && password !== '' && !REFERENCE_ONLY.test(password);
};

type RawCamera = Record<string, unknown> & { id?: unknown; url?: unknown };

/** The file's own values, before `${VAR}` substitution and defaults. */
function rawValues(text: string): { cameras: RawCamera[]; brokers: unknown } {
  const raw = parseDocument(text).toJS() as { cameras?: unknown; kafka?: { brokers?: unknown } } | null;
  return { cameras: Array.isArray(raw?.cameras) ? (raw.cameras as RawCamera[]) : [], brokers: raw?.kafka?.brokers };
}

export function readSettings(file: string, text: string, env: Env): Omit<SettingsView, 'file' | 'keys' | 'keys_file'> {
  const config = parseConfigText(file, text, appConfigSchema, { env });
  const { cameras: raw, brokers } = rawValues(text);
  return {
    revision: settingsRevision(text),
    cameras: config.cameras.map((camera, index) => ({
      id: camera.id,
      name: camera.name,
      url: maskUrlPassword(typeof raw[index]?.url === 'string' ? (raw[index].url as string) : camera.url),
      fps: camera.fps,
      enabled: camera.enabled,
      loop: camera.loop,
    })),
    kafka_brokers: Array.isArray(brokers) ? brokers.map(String) : config.kafka.brokers,
    alert_thresholds: Object.fromEntries(ALERT_THRESHOLDS.map((name) => [name, config.alerts.system[name]])) as SettingsView['alert_thresholds'],
  };
}

/** The file's paths in the settings' own terms, so the UI puts each problem next to its field. */
function settingsPath(path: string): string {
  return path.replace(/^kafka\.brokers/, 'kafka_brokers').replace(/^alerts\.system\./, 'alert_thresholds.');
}

function mergedCameras(before: RawCamera[], cameras: readonly SettingsCamera[], problems: ConfigProblem[], file: string): RawCamera[] {
  return cameras.map((camera, index) => {
    const previous = before.find((entry) => entry.id === camera.id);
    const previousUrl = typeof previous?.url === 'string' ? previous.url : null;
    // The masked URL of an unchanged camera means "keep the one in the file".
    const url = previousUrl !== null && camera.url === maskUrlPassword(previousUrl) ? previousUrl : camera.url;
    if (url !== previousUrl && hasPlaintextPassword(url)) {
      problems.push({ file, path: `cameras[${index}].url`, message: 'put the password in an environment variable, e.g. rtsp://user:${CAM_PASSWORD}@host/stream' });
    }
    // Fields the form does not edit (width, …) stay as they were.
    return { ...(previous ?? {}), id: camera.id, name: camera.name, url, fps: camera.fps, enabled: camera.enabled, loop: camera.loop };
  });
}

/** The file's new text with the update applied; throws ConfigError (paths in settings' terms) when it would not load. */
export function applySettingsUpdate(file: string, text: string, update: SettingsUpdate, env: Env): string {
  const doc = parseDocument(text);
  if (!isMap(doc.contents) && doc.contents !== null) throw new ConfigError([{ file, path: '', message: 'the file is not a mapping' }]);
  const problems: ConfigProblem[] = [];
  if (update.cameras) doc.setIn(['cameras'], doc.createNode(mergedCameras(rawValues(text).cameras, update.cameras, problems, file)));
  if (update.kafka_brokers) doc.setIn(['kafka', 'brokers'], doc.createNode(update.kafka_brokers.map((broker) => broker.trim()).filter((broker) => broker !== '')));
  for (const [name, value] of Object.entries(update.alert_thresholds ?? {})) doc.setIn(['alerts', 'system', name], value);
  if (problems.length > 0) throw new ConfigError(problems);
  const next = doc.toString({ lineWidth: 0 });
  try {
    parseConfigText(file, next, appConfigSchema, { env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(error.problems.map((problem) => ({ ...problem, path: settingsPath(problem.path), line: undefined, column: undefined })));
  }
  return next;
}
