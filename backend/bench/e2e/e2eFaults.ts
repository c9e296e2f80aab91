// The faults `tcr bench e2e` injects, each with the system alert an operator should see for it, and when it is
// injected and removed. Recovery (when the pipeline is back to normal) is judged afterwards from the timeline.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { SystemCheck } from '../../alerts/systemChecks.js';
import { readSystemAlertEvents } from './e2eAccounting.js';
import { alertOfFault } from './e2eFigures.js';
import type { Site, SiteRole } from './e2eSite.js';

export const FAULTS = ['key_revoked', 'malformed_burst', 'keys_throttled', 'scheduler_killed', 'results_killed', 'camera_killed', 'broker_stopped'] as const;
export type Fault = (typeof FAULTS)[number];

/** When each fault starts, as a share of the run, so that their windows do not overlap at the default 120 s. */
const SCHEDULE: Record<Fault, number> = {
  key_revoked: 0.05,
  malformed_burst: 0.15,
  keys_throttled: 0.22,
  scheduler_killed: 0.45,
  results_killed: 0.55,
  camera_killed: 0.62,
  broker_stopped: 0.8,
};

export const THROTTLE_S = 20;
export const BROKER_DOWN_S = 15;
/** A SIGKILLed process is started again this long after, as a supervisor with a restart delay would. */
export const RESTART_AFTER_S = 6;
/** The camera's source is away this long (its file gone and its ffmpeg killed). */
export const CAMERA_AWAY_S = 20;
/** The operator removes the revoked key from the key file this long after the provider revoked it. */
export const KEY_FIX_AFTER_S = 10;
/** The longest the revoked key waits in the file for its alert. */
export const KEY_FIX_WAIT_MAX_S = 40;
/** Malformed records written to each consumed topic. */
export const MALFORMED_PER_TOPIC = 10;

export interface FaultRecord {
  fault: Fault;
  injected_at_ms: number;
  /** When the cause was gone: the key removed, the throttle over, the process or broker back, the file back. */
  removed_at_ms: number | null;
  /** The system alert it should raise. */
  alert: { check: SystemCheck; subject: string };
  detail: string;
}

export interface FaultContext {
  site: Site;
  /** The command that stops and starts the broker (`<command> stop`, `<command> start`); null: broker_stopped cannot run. */
  brokerControl: string[] | null;
  /** The camera taken away, and its file. */
  camera: { id: string; file: string };
  malformed(topics: readonly string[]): Promise<number>;
}

export function faultSchedule(faults: readonly Fault[], durationS: number): { fault: Fault; atS: number }[] {
  return faults.map((fault) => ({ fault, atS: Math.round(SCHEDULE[fault] * durationS) })).sort((a, b) => a.atS - b.atS);
}

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Injects the fault and resolves once its cause has been removed again (the caller does not wait for it). */
export async function injectFault(fault: Fault, context: FaultContext): Promise<FaultRecord> {
  const { site } = context;
  // From the moment the fault starts: stopping a broker gracefully takes seconds, and its alert may come before.
  const startedAt = Date.now();
  const record = (alert: FaultRecord['alert'], detail: string): FaultRecord => {
    return { fault, injected_at_ms: startedAt, removed_at_ms: null, alert, detail };
  };
  switch (fault) {
    case 'key_revoked': {
      const key = site.keyNames[0]!;
      await post(`${site.simUrl}/admin/keys/${key}/revoke`);
      const injected = record({ check: 'key_disabled', subject: key }, `${key} revoked at the provider; removed from the key file once its alert is raised (at least ${KEY_FIX_AFTER_S} s, at most ${KEY_FIX_WAIT_MAX_S} s later)`);
      // The pool finds a key revoked only when it uses it: on a quiet site that can take a while. The operator acts
      // on the alert, so the key stays revoked until the alert is there.
      await sleep(KEY_FIX_AFTER_S * 1000);
      const deadline = Date.now() + (KEY_FIX_WAIT_MAX_S - KEY_FIX_AFTER_S) * 1000;
      while (Date.now() < deadline && !alertRaised(site.storeFile, injected)) await sleep(500);
      site.writeKeyFile([key]);
      return { ...injected, removed_at_ms: Date.now() };
    }
    case 'keys_throttled': {
      await post(`${site.simUrl}/admin/throttle?ms=${THROTTLE_S * 1000}`);
      const injected = record({ check: 'available_keys', subject: '' }, `every key answered 429 for ${THROTTLE_S} s`);
      await sleep(THROTTLE_S * 1000);
      return { ...injected, removed_at_ms: Date.now() };
    }
    case 'scheduler_killed':
      return killAndRestart(context, 'scheduler-1', record);
    case 'results_killed':
      return killAndRestart(context, 'results', record);
    case 'malformed_burst': {
      const written = await context.malformed([site.topics.detections, site.topics.tasks, site.topics.results]);
      const injected = record({ check: 'dlq_growth', subject: '' }, `${written} malformed records on ${site.topics.detections}, ${site.topics.tasks} and ${site.topics.results}`);
      return { ...injected, removed_at_ms: injected.injected_at_ms };
    }
    case 'camera_killed': {
      const { id, file } = context.camera;
      const host = site.hostOf('detection');
      const killed = await host.setCameraAway(file, true);
      const injected = record({ check: 'camera_down', subject: id }, `camera ${id}: its file taken away and ${killed} ffmpeg process(es) SIGKILLed for ${CAMERA_AWAY_S} s`);
      await sleep(CAMERA_AWAY_S * 1000);
      await host.setCameraAway(file, false);
      return { ...injected, removed_at_ms: Date.now() };
    }
    case 'broker_stopped': {
      if (context.brokerControl === null) throw new Error('broker_stopped needs --broker-control (the command that stops and starts the broker)');
      const [command, ...args] = context.brokerControl;
      await run(command!, [...args, 'stop']);
      const injected = record({ check: 'broker_unreachable', subject: '' }, `broker stopped for ${BROKER_DOWN_S} s, then started (${context.brokerControl.join(' ')} stop/start)`);
      await sleep(BROKER_DOWN_S * 1000);
      // A broker with many partitions can take minutes to load them on a loaded host: its script gives up, so
      // the bench tries again once, as a supervisor would.
      await run(command!, [...args, 'start'], { timeout: 300_000 }).catch(() => run(command!, [...args, 'start'], { timeout: 300_000 }));
      return { ...injected, removed_at_ms: Date.now() };
    }
  }
}

async function killAndRestart(context: FaultContext, role: SiteRole, record: (alert: FaultRecord['alert'], detail: string) => FaultRecord): Promise<FaultRecord> {
  const victim = context.site.processes.get(role);
  if (!victim) throw new Error(`no ${role} process to kill`);
  victim.child.kill('SIGKILL');
  const injected = record({ check: 'process_down', subject: role }, `${role} SIGKILLed (no drain), started again ${RESTART_AFTER_S} s later`);
  await victim.child.exited;
  await sleep(RESTART_AFTER_S * 1000);
  await context.site.restart(role);
  return { ...injected, removed_at_ms: Date.now() };
}

function alertRaised(storeFile: string, fault: FaultRecord): boolean {
  try {
    return alertOfFault(fault, readSystemAlertEvents(storeFile)).raised !== undefined;
  } catch {
    return false; // the store not there yet
  }
}

async function post(url: string): Promise<void> {
  const response = await fetch(url, { method: 'POST' });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status}`);
}
