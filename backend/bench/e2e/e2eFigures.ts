// The figures of `tcr bench e2e` from what the run recorded: throughput and latency in the steady state (every
// second outside a fault's window), each fault's recovery and alert, the accounting, and the targets of the
// original design and of issue 18, each passed or missed.
import { percentile, round } from '../percentile.js';
import type { Accounting, CommittedTask, StoredVerdict } from './e2eAccounting.js';
import type { Fault, FaultRecord } from './e2eFaults.js';
import type { CpuTally, TimelineSample } from './e2eTimeline.js';

export interface SystemAlertEvent {
  rule: string;
  subject: string;
  action: 'raised' | 'cleared';
  atMs: number;
}

export interface E2eInputs {
  cameras: number;
  keys: number;
  keyQps: number;
  llmLatencyMs: number;
  llmJitterMs: number;
  window: { fromMs: number; toMs: number };
  tasks: ReadonlyMap<string, CommittedTask>;
  store: ReadonlyMap<string, StoredVerdict>;
  accounting: Accounting;
  faults: readonly FaultRecord[];
  timeline: readonly TimelineSample[];
  alertEvents: readonly SystemAlertEvent[];
  cpu: CpuTally;
  sim: { http_429: number; throttled: number };
  camerasLiveAtEnd: number;
}

export interface FaultFigures {
  fault: Fault;
  injected_at_s: number;
  removed_at_s: number | null;
  recovered_at_s: number | null;
  /** From the cause removed to the pipeline back to normal. */
  recovery_s: number | null;
  tasks_affected: number;
  alert: { check: string; subject: string; fired: boolean; fired_after_s: number | null; cleared: boolean; cleared_after_removed_s: number | null };
  detail: string;
}

export interface Target {
  name: string;
  target: string;
  measured: string;
  pass: boolean;
}

/** Lag a healthy site shows at most between two readings (a second of traffic in flight), in messages. */
const LAG_SETTLED_MIN = 30;

function lagTotal(sample: TimelineSample, groups: readonly string[]): number | null {
  let sum = 0;
  for (const group of groups) {
    const lag = sample.lag[group];
    if (lag === null || lag === undefined) return null;
    sum += lag;
  }
  return sum;
}

/** The first time from `fromMs` at which two readings in a row show the lag settled again. */
function settledAt(timeline: readonly TimelineSample[], fromMs: number, limit: number, groups: readonly string[]): number | null {
  const after = timeline.filter((sample) => sample.atMs >= fromMs);
  for (let i = 0; i + 1 < after.length; i++) {
    const [a, b] = [lagTotal(after[i]!, groups), lagTotal(after[i + 1]!, groups)];
    if (a !== null && b !== null && a <= limit && b <= limit) return after[i]!.atMs;
  }
  return null;
}

/** The fault's alert: the first raise of its check and subject from the fault's start on, and the clear after it. */
export function alertOfFault(fault: Pick<FaultRecord, 'alert' | 'injected_at_ms'>, events: readonly SystemAlertEvent[]): { raised?: SystemAlertEvent; cleared?: SystemAlertEvent } {
  const raised = events.find((event) => event.rule === fault.alert.check && event.subject === fault.alert.subject && event.action === 'raised' && event.atMs >= fault.injected_at_ms - 1000);
  const cleared = raised ? events.find((event) => event.rule === raised.rule && event.subject === raised.subject && event.action === 'cleared' && event.atMs >= raised.atMs) : undefined;
  return { raised, cleared };
}

export function faultFigures(inputs: E2eInputs, settleLimit: number, groups: readonly string[]): FaultFigures[] {
  const { window } = inputs;
  const s = (ms: number | null): number | null => (ms === null ? null : round((ms - window.fromMs) / 1000, 1));
  return inputs.faults.map((fault) => {
    const removed = fault.removed_at_ms;
    let recovered: number | null = null;
    if (removed !== null) {
      recovered =
        fault.fault === 'camera_killed'
          ? (inputs.timeline.find((sample) => sample.atMs >= removed && sample.cameraState === 'live')?.atMs ?? null)
          : settledAt(inputs.timeline, removed, settleLimit, groups);
    }
    const until = recovered ?? window.toMs;
    const affected = [...inputs.tasks.values()].filter((task) => task.capturedAtMs >= fault.injected_at_ms && task.capturedAtMs <= until).length;
    const { raised, cleared } = alertOfFault(fault, inputs.alertEvents);
    return {
      fault: fault.fault,
      injected_at_s: s(fault.injected_at_ms)!,
      removed_at_s: s(removed),
      recovered_at_s: s(recovered),
      recovery_s: removed === null || recovered === null ? null : round(Math.max(0, recovered - removed) / 1000, 1),
      tasks_affected: affected,
      alert: {
        ...fault.alert,
        fired: raised !== undefined,
        fired_after_s: raised ? round((raised.atMs - fault.injected_at_ms) / 1000, 1) : null,
        cleared: cleared !== undefined,
        cleared_after_removed_s: cleared && removed !== null ? round((cleared.atMs - removed) / 1000, 1) : null,
      },
      detail: fault.detail,
    };
  });
}

/** Seconds of the window (as offsets) outside every fault's window, from injection to recovery. */
export function steadySeconds(window: { fromMs: number; toMs: number }, faults: readonly Pick<FaultFigures, 'injected_at_s' | 'recovered_at_s'>[]): Set<number> {
  const seconds = new Set<number>();
  const total = Math.floor((window.toMs - window.fromMs) / 1000);
  for (let second = 0; second < total; second++) {
    const inFault = faults.some((fault) => second + 1 > fault.injected_at_s && second < (fault.recovered_at_s ?? total));
    if (!inFault) seconds.add(second);
  }
  return seconds;
}

export function e2eFigures(inputs: E2eInputs): { figures: Record<string, unknown>; targets: Target[]; faults: FaultFigures[] } {
  const { window, store, accounting } = inputs;
  const groups = Object.keys(inputs.timeline[0]?.lag ?? {});
  const preFault = inputs.timeline.filter((sample) => sample.atMs >= window.fromMs && sample.atMs < Math.min(window.toMs, ...inputs.faults.map((fault) => fault.injected_at_ms)));
  const baseline = percentile(preFault.map((sample) => lagTotal(sample, groups)).filter((lag) => lag !== null), 0.9) ?? 0;
  const settleLimit = Math.max(LAG_SETTLED_MIN, 2 * baseline);
  const faults = faultFigures(inputs, settleLimit, groups);
  const steady = steadySeconds(window, faults);
  const secondOf = (ms: number): number => Math.floor((ms - window.fromMs) / 1000);
  const inWindow = [...store.values()].filter((verdict) => verdict.storedAtMs >= window.fromMs && verdict.storedAtMs < window.toMs);
  const steadyStored = inWindow.filter((verdict) => steady.has(secondOf(verdict.storedAtMs)));
  const steadyCaptured = [...store.values()].filter((verdict) => verdict.capturedAtMs >= window.fromMs && verdict.capturedAtMs < window.toMs && steady.has(secondOf(verdict.capturedAtMs)));
  const latencies = steadyCaptured.map((verdict) => verdict.storedAtMs - verdict.capturedAtMs);
  // Where the steady latency went: detection and expander (capture → task made), the scheduler (→ assessed), results (→ stored).
  const steadyIds = [...store.entries()].filter(([, verdict]) => verdict.capturedAtMs >= window.fromMs && verdict.capturedAtMs < window.toMs && steady.has(secondOf(verdict.capturedAtMs)));
  const stageP50 = (pick: (task: CommittedTask, verdict: StoredVerdict) => number): number | null =>
    round(percentile(steadyIds.flatMap(([taskId, verdict]) => { const task = inputs.tasks.get(taskId); return task ? [pick(task, verdict)] : []; }), 0.5), 0);
  const allLatencies = [...store.values()].filter((verdict) => verdict.capturedAtMs >= window.fromMs).map((verdict) => verdict.storedAtMs - verdict.capturedAtMs);
  const durationS = (window.toMs - window.fromMs) / 1000;
  const tasksInWindow = [...inputs.tasks.values()].filter((task) => task.capturedAtMs >= window.fromMs && task.capturedAtMs < window.toMs);
  const steadyTasks = tasksInWindow.filter((task) => steady.has(secondOf(task.capturedAtMs)));
  const capacity = inputs.keys * inputs.keyQps;
  const throughput = steady.size === 0 ? null : round(steadyStored.length / steady.size);
  const supply = steady.size === 0 ? null : round(steadyTasks.length / steady.size);
  const ok = [...inputs.tasks.keys()].filter((taskId) => store.get(taskId)?.status === 'ok').length;
  const fallback = [...inputs.tasks.keys()].filter((taskId) => store.get(taskId)?.status === 'fallback').length;
  const maxLag = Object.fromEntries(groups.map((group) => [group, Math.max(0, ...inputs.timeline.map((sample) => sample.lag[group] ?? 0))]));
  const cores = Object.fromEntries(Object.entries(inputs.cpu.seconds).map(([role, seconds]) => [role, round(seconds / Math.max(1, inputs.cpu.wallS))]));
  const p95 = round(percentile(latencies, 0.95), 0);
  const simP95 = inputs.llmLatencyMs + 0.9 * inputs.llmJitterMs;
  const successRate = accounting.tasks_in === 0 ? null : round(accounting.results_out / accounting.tasks_in, 4);
  const figures = {
    cameras: inputs.cameras,
    cameras_live_at_end: inputs.camerasLiveAtEnd,
    duration_s: round(durationS, 1),
    steady_s: steady.size,
    throughput_gps: throughput,
    supply_gps: supply,
    capacity_gps: capacity,
    throughput_vs_capacity: throughput === null ? null : round(throughput / capacity, 3),
    p50_ms: round(percentile(latencies, 0.5), 0),
    p95_ms: p95,
    p99_ms: round(percentile(latencies, 0.99), 0),
    p95_ms_whole_run: round(percentile(allLatencies, 0.95), 0),
    stage_p50_ms: {
      capture_to_task: stageP50((task) => task.createdAtMs - task.capturedAtMs),
      task_to_assessed: stageP50((task, verdict) => verdict.assessedAtMs - task.createdAtMs),
      assessed_to_stored: stageP50((_, verdict) => verdict.storedAtMs - verdict.assessedAtMs),
    },
    llm_sim_p95_ms: simP95,
    success_rate: successRate,
    llm_success_rate: accounting.tasks_in === 0 ? null : round(ok / accounting.tasks_in, 4),
    fallback_verdicts: fallback,
    ...accounting,
    http_429: inputs.sim.http_429,
    http_429_outside_throttle: inputs.sim.http_429 - inputs.sim.throttled,
    max_lag: maxLag,
    cpu_cores_used: cores,
    cpu_cores_total: round(Object.values(inputs.cpu.seconds).reduce((sum, seconds) => sum + seconds, 0) / Math.max(1, inputs.cpu.wallS)),
    faults,
  };
  const pass = (name: string, target: string, measured: unknown, ok: boolean): Target => ({ name, target, measured: String(measured), pass: ok });
  const keyFault = faults.find((fault) => fault.fault === 'key_revoked');
  // A task of the key's window that waited in a backlog until another fault had begun (all keys throttled) is that
  // fault's: its verdict says nothing of the one failing key.
  const otherWindows = faults.filter((fault) => fault !== keyFault).map((fault) => [window.fromMs + fault.injected_at_s * 1000, window.fromMs + (fault.recovered_at_s ?? durationS) * 1000] as const);
  const assessedInOtherFault = (taskId: string): boolean => {
    const assessedAt = store.get(taskId)?.assessedAtMs;
    return assessedAt !== undefined && otherWindows.some(([from, to]) => assessedAt >= from && assessedAt <= to);
  };
  const keyWindowTasks = keyFault ? [...inputs.tasks.entries()].filter(([, task]) => task.capturedAtMs >= window.fromMs + keyFault.injected_at_s * 1000 && task.capturedAtMs <= window.fromMs + (keyFault.recovered_at_s ?? durationS) * 1000) : [];
  const keyTasks = keyWindowTasks.filter(([taskId]) => !assessedInOtherFault(taskId));
  const keyTasksOk = keyTasks.filter(([taskId]) => store.get(taskId)?.status === 'ok').length;
  const keyTasksLeftOut = keyWindowTasks.length - keyTasks.length;
  const broker = faults.find((fault) => fault.fault === 'broker_stopped');
  const targets: Target[] = [
    pass('cameras concurrently', '≥ 50 live', `${inputs.camerasLiveAtEnd} of ${inputs.cameras} live at the end`, inputs.camerasLiveAtEnd >= 50),
    pass('p95 detection → result (steady)', '< 2000 ms', `${p95 ?? '—'} ms`, p95 !== null && p95 < 2000),
    pass('p95 against the simulated LLM (steady)', `≤ ${simP95 + 300} ms (LLM p95 + 300)`, `${p95 ?? '—'} ms`, p95 !== null && p95 <= simP95 + 300),
    pass('throughput (steady)', '> 25 groups/s', `${throughput ?? '—'} groups/s (supply ${supply ?? '—'}/s)`, throughput !== null && throughput > 25),
    pass('throughput against the keys\' capacity', `≥ 0.9 × ${capacity}/s while keys are healthy`, `${throughput ?? '—'} of ${capacity}/s${supply !== null && supply < 0.9 * capacity ? ` (the cameras supplied ${supply}/s, less than that)` : ''}`, throughput !== null && throughput >= 0.9 * capacity),
    pass('success rate', '> 0.99 (a verdict stored, LLM or rules fallback)', String(successRate ?? '—'), successRate !== null && successRate > 0.99),
    pass('one failing key does not affect the system', 'every task of its window assessed by the LLM', keyFault ? `${keyTasksOk} of ${keyTasks.length}${keyTasksLeftOut > 0 ? ` (${keyTasksLeftOut} assessed in another fault's window left out)` : ''}` : 'not injected', keyFault === undefined || keyTasksOk === keyTasks.length),
    pass('no message lost', 'lost = 0', accounting.lost, accounting.lost === 0),
    pass('exactly once', 'duplicates = 0', accounting.duplicates, accounting.duplicates === 0),
    pass('malformed records', 'each one dead letter', `${accounting.malformed_dead_lettered_once} of ${accounting.malformed_sent}`, accounting.malformed_dead_lettered_once === accounting.malformed_sent),
    pass('automatic recovery', 'every fault recovered', faults.map((fault) => `${fault.fault} ${fault.recovery_s ?? 'never'}`).join(', ') || 'no faults', faults.every((fault) => fault.recovery_s !== null)),
    pass('broker restart recovery', '≤ 30 s', broker ? `${broker.recovery_s ?? 'never'} s` : 'not injected', broker === undefined || (broker.recovery_s !== null && broker.recovery_s <= 30)),
    pass('monitoring alerts', 'each fault\'s alert fires and clears', faults.map((fault) => `${fault.alert.check}${fault.alert.subject ? `(${fault.alert.subject})` : ''} ${fault.alert.fired ? 'fired' : 'not fired'}/${fault.alert.cleared ? 'cleared' : 'not cleared'}`).join(', ') || 'no faults', faults.every((fault) => fault.alert.fired && fault.alert.cleared)),
  ];
  return { figures, targets, faults };
}
