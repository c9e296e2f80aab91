// The results role: every verdict on risk-assessment-results (read_committed on Kafka) into the results store,
// once per task, with the alert it raises or folds into; results past their retention deleted. At least once from
// the bus and idempotent in the store: a redelivery after a crash or a replay of the topic adds nothing, alerts
// included, since a verdict and its alert are written in one transaction.
import { EventEmitter } from 'node:events';
import { matchingRule } from '../alerts/alertRules.js';
import type { Bus, Subscription } from '../bus/bus.js';
import type { AlertRule } from '../config/index.js';
import { RISK_LEVELS, riskAssessmentResultMessage, type RiskAssessmentResultMessage, type RiskLevel } from '../contracts/index.js';
import { systemClock, type Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import type { AlertChange, FoldSettings, RiskChange } from './alertStore.js';
import { openResultStore, type ResultStore } from './resultStore.js';

export interface ResultsSettings {
  group: string;
  topic: string;
  file: string;
  retentionMs: number;
  cropRetentionMs: number;
  cropMinRiskLevel: RiskLevel;
  /** Retention is checked this often, and once at start. */
  pruneEveryMs: number;
  rules: readonly AlertRule[];
  timeZone: string;
  fold: FoldSettings;
}

export interface ResultsEvents {
  /** `capture_to_stored_ms`: from the frame's capture to this result's storage (0 if the clocks disagree). */
  stored: [{ camera_id: string; risk_level: string; status: 'ok' | 'fallback'; capture_to_stored_ms: number }];
  duplicate: [{ task_id: string }];
  /** A verdict matched a rule: a new alert, a repeat folded into one, or a snoozed one back. */
  alert: [AlertChange & { change: RiskChange }];
  pruned: [{ count: number }];
  /** A verdict could not be written (a full disk, a lock); the bus tries again, then dead-letters it. */
  write_failed: [{ result: RiskAssessmentResultMessage; error: string }];
  /** Deleting old results failed (a lock, a full disk); the next check tries again. */
  prune_failed: [{ error: string }];
}

export interface ResultsStage {
  readonly events: EventEmitter<ResultsEvents>;
  /** The open store (for the gateway's history routes), null before start and after stop. */
  store(): ResultStore | null;
  start(): Promise<Subscription>;
  stop(): Promise<void>;
}

export function createResultsStage(bus: Bus, settings: ResultsSettings, clock: Clock = systemClock): ResultsStage {
  const events = new EventEmitter<ResultsEvents>();
  let store: ResultStore | null = null;
  let subscription: Subscription | null = null;
  let pruneTimer: NodeJS.Timeout | null = null;

  const prune = (): void => {
    if (!store) return;
    try {
      const now = clock.now();
      store.pruneCropsStoredBefore(now - settings.cropRetentionMs);
      const count = store.pruneStoredBefore(now - settings.retentionMs);
      store.alerts.pruneClosedBefore(now - settings.retentionMs);
      if (count > 0) events.emit('pruned', { count });
    } catch (error) {
      // From a timer: thrown, it would end the process for a lock another program holds for a while.
      events.emit('prune_failed', { error: error instanceof Error ? error.message : String(error) });
    }
  };

  const stop = async (): Promise<void> => {
    if (pruneTimer) clearInterval(pruneTimer);
    pruneTimer = null;
    // Stop consuming first: what is in flight is stored and committed before the file closes.
    await subscription?.stop();
    subscription = null;
    store?.close();
    store = null;
  };

  return {
    events,
    store: () => store,
    stop,
    async start() {
      store = openResultStore(settings.file);
      prune();
      pruneTimer = setInterval(prune, settings.pruneEveryMs);
      pruneTimer.unref();
      const opened = store;
      try {
        subscription = await bus.subscribe({
          group: settings.group,
          topic: settings.topic,
          schema: riskAssessmentResultMessage,
          stage: 'results',
          async handle(result) {
            let isNew: boolean;
            let alert: (AlertChange & { change: RiskChange }) | null = null;
            const storedAt = clock.now();
            const keepCrop = RISK_LEVELS.indexOf(result.risk_level) >= RISK_LEVELS.indexOf(settings.cropMinRiskLevel);
            try {
              isNew = opened.atomically(() => {
                if (!opened.insert(result, storedAt, keepCrop)) return false;
                const rule = matchingRule(result, settings.rules, settings.timeZone);
                if (rule) alert = opened.alerts.recordRisk(result, rule.name, storedAt, settings.fold);
                return true;
              });
            } catch (error) {
              // A full disk or a lock is the host's trouble, not the record's: the bus retries before it gives up.
              events.emit('write_failed', { result, error: error instanceof Error ? error.message : String(error) });
              throw new AppError('result_store_write_failed', `${opened.file}: ${error instanceof Error ? error.message : String(error)}`, { retriable: true, cause: error });
            }
            if (!isNew) return void events.emit('duplicate', { task_id: result.task_id });
            events.emit('stored', { camera_id: result.camera_id, risk_level: result.risk_level, status: result.status, capture_to_stored_ms: Math.max(0, storedAt - result.captured_at_ms) });
            if (alert) events.emit('alert', alert);
          },
        });
      } catch (error) {
        await stop();
        throw error;
      }
      return subscription;
    },
  };
}
