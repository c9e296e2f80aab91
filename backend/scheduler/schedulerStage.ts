// The scheduler role: assessment-tasks → risk-assessment-results, one verdict per task, transactional through the
// Bus so a killed instance's open tasks are redone by the next owner of their partition and none is written twice.
// `workers` bounds the assessments in flight across all of the instance's partitions (the Bus's concurrency).
import { EventEmitter } from 'node:events';
import { assessByRules } from '../assess/rulesAssessor.js';
import { LlmFailureError, type LlmAssessor } from '../assess/llmAssessor.js';
import type { Language, Verdict } from '../assess/verdict.js';
import type { Assignment, Bus, BusOutput, Subscription } from '../bus/bus.js';
import { assessmentTaskMessage, encodeMessage, riskAssessmentResultMessage, type AssessmentTaskMessage, type LlmFailure } from '../contracts/index.js';
import { systemClock, type Clock } from '../core/clock.js';
import { AppError, BugError } from '../core/errors.js';
import { resultMessage, type HowAssessed } from './resultMessage.js';
import { taskImage } from './taskImage.js';

export interface SchedulerSettings {
  group: string;
  tasksTopic: string;
  resultsTopic: string;
  workers: number;
  language: Language;
  /** The rules assessor grades times to collision against this. */
  ttcThresholdS: number;
  model: string;
  /** rules: the rules assessor stands in when the LLM gives no verdict; none: such a task is dead-lettered. */
  fallback: 'rules' | 'none';
  maxImageBytes: number;
  maxMessageBytes: number;
  cameraNames: ReadonlyMap<string, string>;
  drainTimeoutMs: number;
}

export interface SchedulerDeps {
  bus: Bus;
  /** null: the rules assessor only (no keys configured). */
  llm: LlmAssessor | null;
  onAssignment(assignment: Assignment): void;
  clock?: Clock;
}

export interface AssessedEvent {
  status: 'ok' | 'fallback';
  assessor: 'llm' | 'rules';
  llmFailure: LlmFailure | null;
  /** From the task's creation (its enqueue) to its verdict. */
  taskLatencyMs: number;
  llmLatencyMs: number | null;
  tokens: number | null;
}

export interface SchedulerEvents {
  assessed: [AssessedEvent];
}

export interface Scheduler {
  readonly events: EventEmitter<SchedulerEvents>;
  /** Assessments running now. */
  inFlight(): number;
  start(): Promise<Subscription>;
}

/** LLM failures that mean the deadline passed: without a fallback such a task is simply expired. */
const DEADLINE_FAILURES = new Set<LlmFailure>(['timeout', 'no_key_before_deadline', 'endpoint_unreachable', 'expired']);

export function createScheduler(settings: SchedulerSettings, deps: SchedulerDeps): Scheduler {
  const clock = deps.clock ?? systemClock;
  const events = new EventEmitter<SchedulerEvents>();
  let running = 0;

  const rulesVerdict = (task: AssessmentTaskMessage, failure: LlmFailureError | null): { verdict: Verdict; how: HowAssessed } => ({
    verdict: assessByRules(task.group, settings.language, settings.ttcThresholdS),
    how: {
      assessor: { type: 'rules', model: null, key_name: null },
      status: failure === null ? 'ok' : 'fallback',
      llmFailure: failure?.failure ?? null,
      attempts: failure?.attempts ?? 0,
      llmLatencyMs: null,
      tokens: failure?.tokens ?? null,
    },
  });

  /** The LLM's verdict, or the fallback's; without a fallback a failure becomes the task's dead letter. */
  const assess = async (task: AssessmentTaskMessage, llm: LlmAssessor, image: Buffer | null, cancel: AbortSignal, expired: LlmFailureError | null): Promise<{ verdict: Verdict; how: HowAssessed }> => {
    try {
      if (expired) throw expired;
      const answer = await llm.assess(task, settings.cameraNames.get(task.camera_id) ?? task.camera_id, image, cancel);
      return {
        verdict: answer.verdict,
        how: { assessor: { type: 'llm', model: settings.model, key_name: answer.keyName }, status: 'ok', llmFailure: null, attempts: answer.attempts, llmLatencyMs: answer.latencyMs, tokens: answer.tokens },
      };
    } catch (error) {
      if (!(error instanceof LlmFailureError)) throw error;
      if (settings.fallback === 'rules') return rulesVerdict(task, error);
      throw new AppError(DEADLINE_FAILURES.has(error.failure) ? 'expired' : error.failure, `${error.failure}: ${error.message} (after ${error.attempts} request(s))`);
    }
  };

  const transform = async (task: AssessmentTaskMessage, _record: unknown, cancel: AbortSignal): Promise<BusOutput[]> => {
    running += 1;
    try {
      const image = taskImage(task, settings.maxImageBytes);
      const lateMs = clock.now() - task.deadline_ms;
      const expired = lateMs > 0 ? new LlmFailureError('expired', `the task's deadline passed ${lateMs} ms before it was taken`, 0, null) : null;
      if (expired && deps.llm === null) throw new AppError('expired', expired.message);
      const { verdict, how } = deps.llm === null ? rulesVerdict(task, null) : await assess(task, deps.llm, image, cancel, expired);
      const now = clock.now();
      const result = resultMessage(task, verdict, how, settings.language, now);
      const encoded = encodeMessage(riskAssessmentResultMessage, result, { maxBytes: settings.maxMessageBytes });
      if (!encoded.ok && encoded.error.code !== 'too_large') throw new BugError(`scheduler built an invalid result: ${encoded.error.message}`);
      if (!encoded.ok) throw new AppError('output_too_large', encoded.error.message);
      events.emit('assessed', { status: how.status, assessor: how.assessor.type, llmFailure: how.llmFailure, taskLatencyMs: Math.max(0, now - task.created_at_ms), llmLatencyMs: how.llmLatencyMs, tokens: how.tokens });
      return [{ topic: settings.resultsTopic, key: task.camera_id, value: encoded.value }];
    } finally {
      running -= 1;
    }
  };

  return {
    events,
    inFlight: () => running,
    start: () =>
      deps.bus.transform({
        group: settings.group,
        topic: settings.tasksTopic,
        schema: assessmentTaskMessage,
        stage: 'scheduler',
        concurrency: settings.workers,
        eventTime: { path: 'captured_at_ms', of: (task) => task.captured_at_ms },
        onAssignment: deps.onAssignment,
        transform,
      }),
  };
}
