// What the control room shows, folded from the gateway's stream: a pure reducer, so every message type's effect
// is testable without a browser. Bounded: the latest thumbnail per camera, the latest results and alerts.
import type { AlertView, CameraView, KeyPoolHealth, PipelineSample, RiskAssessmentResultMessage, StreamMessage } from '../../../backend/contracts/index.js';
import { withSnapshot, type CameraHistory } from './cameraHealth.js';

export type Thumbnail = Extract<StreamMessage, { type: 'thumbnail' }>;

export interface LiveState {
  cameras: CameraView[];
  /** Each camera's frame counters over the last snapshots (skipped-frames warning). */
  cameraHistory: CameraHistory;
  thumbnails: Record<string, Thumbnail>;
  /** Newest first, at most MAX_RESULTS; one per task (a result may come twice: unstored, then stored). */
  results: RiskAssessmentResultMessage[];
  alerts: Record<number, AlertView>;
  /** The last alert change seen: given back on reconnect. */
  lastAlertSeq: number;
  keyPool: KeyPoolHealth | null;
  pipeline: PipelineSample[];
  notices: Extract<StreamMessage, { type: 'notice' }>[];
  /** The stream said too much was missed: the alert list must be reloaded from the API. */
  needsReload: boolean;
  /** Counts critical alerts raised or back from a snooze while watching: each one sounds the cue once. */
  criticalCues: number;
}

export const MAX_RESULTS = 200;
/** Pipeline samples come every 2 s: 150 is the last five minutes, for the time series. */
export const MAX_PIPELINE_SAMPLES = 150;
const MAX_NOTICES = 20;

export const initialLiveState: LiveState = {
  cameras: [],
  cameraHistory: {},
  thumbnails: {},
  results: [],
  alerts: {},
  lastAlertSeq: 0,
  keyPool: null,
  pipeline: [],
  notices: [],
  needsReload: false,
  criticalCues: 0,
};

const SOUNDING_ACTIONS: readonly string[] = ['raised', 'resurfaced'];

export function applyMessage(state: LiveState, message: StreamMessage): LiveState {
  switch (message.type) {
    case 'hello':
      return state;
    case 'thumbnail': {
      const before = state.thumbnails[message.camera_id];
      if (before && before.captured_at_ms > message.captured_at_ms) return state;
      return { ...state, thumbnails: { ...state.thumbnails, [message.camera_id]: message } };
    }
    case 'result':
      return { ...state, results: [message.result, ...state.results.filter((result) => result.task_id !== message.result.task_id)].slice(0, MAX_RESULTS) };
    case 'alert': {
      // A replayed change (seq already seen, after a reconnect) updates the alert but does not sound again.
      const fresh = message.event.seq > state.lastAlertSeq;
      const sounds = fresh && message.alert.level === 'critical' && SOUNDING_ACTIONS.includes(message.event.action);
      return {
        ...state,
        alerts: { ...state.alerts, [message.alert.id]: message.alert },
        lastAlertSeq: Math.max(state.lastAlertSeq, message.event.seq),
        criticalCues: state.criticalCues + (sounds ? 1 : 0),
      };
    }
    case 'resync':
      return { ...state, needsReload: true };
    case 'notice':
      return { ...state, notices: [message, ...state.notices].slice(0, MAX_NOTICES) };
    case 'cameras':
      return { ...state, cameras: message.cameras, cameraHistory: withSnapshot(state.cameraHistory, message.cameras) };
    case 'key_pool':
      return { ...state, keyPool: message.health };
    case 'pipeline':
      return { ...state, pipeline: [...state.pipeline, message.sample].slice(-MAX_PIPELINE_SAMPLES) };
  }
}

/** The alert list from the API replaces what the stream had (after a resync or at start). */
export function withAlerts(state: LiveState, alerts: readonly AlertView[]): LiveState {
  return { ...state, alerts: Object.fromEntries(alerts.map((alert) => [alert.id, alert])), needsReload: false };
}

/** Alerts newest first, open ones before closed ones. */
export function sortedAlerts(alerts: LiveState['alerts']): AlertView[] {
  const open = (alert: AlertView): number => (alert.state === 'resolved' || alert.state === 'false_alarm' ? 1 : 0);
  return Object.values(alerts).sort((a, b) => open(a) - open(b) || b.last_seen_ms - a.last_seen_ms || b.id - a.id);
}
