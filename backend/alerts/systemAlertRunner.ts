// Evaluates the system checks on a timer over this process's live metrics and keeps their alerts in step: a
// condition raises its alert (once it held at two evaluations in a row, so a camera's quick reconnect pages no
// one), an open alert whose condition is gone is cleared. Windowed checks need no second look.
import type { Clock } from '../core/clock.js';
import type { Sample } from './metricSamples.js';
import { evaluateSystemChecks, type Condition, type SystemCheck, type SystemThresholds } from './systemChecks.js';

/** Already measured over a window (or a fact, not a level): raised at the first evaluation that sees them. */
const IMMEDIATE: readonly SystemCheck[] = ['result_latency_p95', 'dlq_growth', 'results_store', 'key_disabled', 'broker_unreachable'];

export interface SystemAlertSink {
  raise(condition: Condition, at: number): void;
  clear(check: string, subject: string, at: number): void;
  /** The system alerts open now, whoever raised them (a previous run of this process too). */
  open(): { rule: string; subject: string }[];
}

export interface SystemAlertRunnerOptions {
  read(): Promise<Sample[]>;
  /** Conditions seen elsewhere than in the metrics (cameras decoded by another process gone stale), given the samples read. */
  extra(samples: readonly Sample[]): Condition[];
  limits: SystemThresholds;
  everyMs: number;
  sink: SystemAlertSink;
  clock: Clock;
  /** The sink failed (the store's disk is full): the condition must reach operators some other way. */
  onSinkFailed(condition: Condition | null, error: unknown): void;
}

const keyOf = (check: string, subject: string): string => `${check}\u0000${subject}`;

export function createSystemAlertRunner(options: SystemAlertRunnerOptions) {
  let before: { samples: Sample[]; at: number } | null = null;
  let pending = new Set<string>();
  const unstored = new Map<string, Condition>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  const evaluate = async (): Promise<Condition[]> => {
    const samples = await options.read();
    const at = options.clock.now();
    const conditions = [...evaluateSystemChecks(samples, before?.samples ?? null, before ? at - before.at : 0, options.limits), ...options.extra(samples)];
    before = { samples, at };
    const holding = new Set(conditions.map((condition) => keyOf(condition.check, condition.subject)));
    const raise = (condition: Condition, key: string): void => {
      try {
        options.sink.raise(condition, at);
        unstored.delete(key);
      } catch (error) {
        unstored.set(key, condition);
        options.onSinkFailed(condition, error);
      }
    };
    // A condition the store could not take while it held is still history: kept once the store works again.
    for (const [key, condition] of unstored) if (!holding.has(key)) raise(condition, key);
    const open = new Set(options.sink.open().map((alert) => keyOf(alert.rule, alert.subject)));
    for (const condition of conditions) {
      const key = keyOf(condition.check, condition.subject);
      if (open.has(key) || IMMEDIATE.includes(condition.check) || pending.has(key)) raise(condition, key);
    }
    for (const alert of options.sink.open()) {
      if (holding.has(keyOf(alert.rule, alert.subject))) continue;
      try {
        options.sink.clear(alert.rule, alert.subject, at);
      } catch (error) {
        options.onSinkFailed(null, error);
      }
    }
    pending = holding;
    return conditions;
  };

  const tick = (): void => {
    if (running) return;
    running = evaluate()
      .catch((error: unknown) => options.onSinkFailed(null, error))
      .then(() => undefined)
      .finally(() => (running = null));
  };

  return {
    /** One evaluation now (tests, and the first one at start); the conditions that held. */
    evaluate,
    start(): void {
      // The first reading is the baseline of the first window: what happens from start on counts.
      tick();
      timer = setInterval(tick, options.everyMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}

export type SystemAlertRunner = ReturnType<typeof createSystemAlertRunner>;
