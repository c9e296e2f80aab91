// The LLM assessor: the group's crop and features in the operators' prompt, sent through the key pool (which picks
// keys and fails over), the answer read into a verdict with one repair request, and every failure named.
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { AssessmentTaskMessage, LlmFailure } from '../contracts/index.js';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import { AttemptsExhaustedError, LeaseDeadlineError, NoUsableKeysError, RequestRejectedError } from '../keypool/errors.js';
import { executeWithPool, type Executed } from '../keypool/executeWithPool.js';
import type { KeyPool } from '../keypool/keyPool.js';
import type { LeaseOutcome } from '../keypool/outcome.js';
import type { EndpointCircuit } from './endpointCircuit.js';
import { parseAnswer } from './llmAnswer.js';
import type { LlmClient } from './llmClient.js';
import { renderPrompt, type PromptTemplate } from './prompt.js';
import type { Verdict } from './verdict.js';

export interface LlmAssessorSettings {
  model: string;
  maxTokens: number;
  /** Requests per task over all keys, the repair request included. */
  maxAttempts: number;
  maxRetryPerKey: number;
  /** While the endpoint circuit is open: fail at once (a fallback stands in) or wait for it until the deadline. */
  whenUnreachable: 'fail' | 'wait';
}

export interface LlmAssessorDeps {
  pool: KeyPool;
  client: LlmClient;
  template: PromptTemplate;
  circuit: EndpointCircuit;
  clock: Clock;
}

export interface LlmAssessment {
  verdict: Verdict;
  keyName: string;
  attempts: number;
  latencyMs: number;
  tokens: number | null;
}

/** No verdict from the LLM, and why; carries what the task spent, for the result or the dead letter. */
export class LlmFailureError extends AppError {
  constructor(
    readonly failure: LlmFailure,
    message: string,
    readonly attempts: number,
    readonly tokens: number | null,
  ) {
    super(failure, message);
  }
}

interface Usage {
  attempts: number;
  /** Attempts that no longer count against the budget (they reached no server, before a wait for the endpoint). */
  forgiven: number;
  tokens: number | null;
  last: LeaseOutcome | null;
}

/**
 * The longest a task waits for a verdict, whatever its deadline says: another team's producer may write a deadline
 * years ahead, and timers cannot be set that far (Node caps them near 24.8 days and fires at once beyond).
 */
const MAX_WAIT_MS = 3_600_000;

const REPAIR: Record<'zh-CN' | 'en', (problem: string) => string> = {
  'zh-CN': (problem) => `你的回答无法使用：${problem}。请只回答一个符合上述字段要求的 JSON 对象。`,
  en: (problem) => `Your answer cannot be used: ${problem}. Reply with only one JSON object with the fields asked for above.`,
};

export function createLlmAssessor(settings: LlmAssessorSettings, deps: LlmAssessorDeps) {
  const { pool, client, circuit, clock } = deps;

  async function admitted(task: AssessmentTaskMessage, usage: Usage, signal: AbortSignal): Promise<void> {
    while (!circuit.tryAdmit()) {
      const message = 'the LLM endpoint is unreachable (circuit open)';
      if (settings.whenUnreachable === 'fail') throw new LlmFailureError('endpoint_unreachable', message, usage.attempts, usage.tokens);
      const waitMs = Math.min(circuit.retryAt() - clock.monotonic(), task.deadline_ms - clock.now());
      if (waitMs <= 0) throw new LlmFailureError('endpoint_unreachable', `${message} until the task's deadline`, usage.attempts, usage.tokens);
      // The deadline (or a cancel) ends the wait: the task then fails as unreachable, which without a fallback is expired.
      await clock.sleep(Math.max(1, waitMs), signal).catch(() => undefined);
      if (signal.aborted) throw new LlmFailureError('endpoint_unreachable', `${message} until the task's deadline`, usage.attempts, usage.tokens);
    }
  }

  async function ask(task: AssessmentTaskMessage, messages: ChatCompletionMessageParam[], usage: Usage, signal: AbortSignal): Promise<Executed<string>> {
    // With a fallback, a task stops retrying as soon as the endpoint circuit opens: its keys would only cool down.
    const unreachable = new AbortController();
    try {
      return await executeWithPool(
        pool,
        async (lease) => {
          usage.attempts += 1;
          const result = await client.complete(lease, { messages, maxTokens: settings.maxTokens, signal });
          circuit.record(result.outcome);
          if (settings.whenUnreachable === 'fail' && circuit.state() !== 'closed') unreachable.abort();
          usage.last = result.outcome;
          if (typeof result.outcome.tokens === 'number') usage.tokens = (usage.tokens ?? 0) + result.outcome.tokens;
          return result;
        },
        { priority: task.priority, deadline: task.deadline_ms, signal: AbortSignal.any([signal, unreachable.signal]), maxRetryPerKey: settings.maxRetryPerKey, maxAttempts: Math.max(1, settings.maxAttempts - (usage.attempts - usage.forgiven)) },
      );
    } catch (error) {
      if (unreachable.signal.aborted) throw new LlmFailureError('endpoint_unreachable', 'the LLM endpoint is unreachable (circuit open)', usage.attempts, usage.tokens);
      throw failureOf(error, usage, signal);
    }
  }

  /** Without a fallback, a task whose requests reach no server waits for the endpoint circuit until its deadline. */
  async function askUntilReachable(task: AssessmentTaskMessage, messages: ChatCompletionMessageParam[], usage: Usage, signal: AbortSignal): Promise<Executed<string>> {
    for (;;) {
      try {
        return await ask(task, messages, usage, signal);
      } catch (error) {
        const endpointDown = error instanceof LlmFailureError && error.failure === 'attempts_exhausted' && circuit.state() !== 'closed';
        if (!endpointDown || settings.whenUnreachable !== 'wait') throw error;
        // Requests that reached no server cost nothing at the provider: the budget starts again after the wait.
        usage.forgiven = usage.attempts;
        await admitted(task, usage, signal);
      }
    }
  }

  return {
    /** `cancel`: the verdict is no longer wanted (its partition moved to another instance). */
    async assess(task: AssessmentTaskMessage, cameraName: string, image: Buffer | null, cancel?: AbortSignal): Promise<LlmAssessment> {
      const usage: Usage = { attempts: 0, forgiven: 0, tokens: null, last: null };
      task = { ...task, deadline_ms: Math.min(task.deadline_ms, clock.now() + MAX_WAIT_MS) };
      const deadline = AbortSignal.timeout(Math.max(0, task.deadline_ms - clock.now()));
      const signal = cancel ? AbortSignal.any([deadline, cancel]) : deadline;
      await admitted(task, usage, signal);
      const text = renderPrompt(deps.template, task, cameraName, image !== null);
      const content: ChatCompletionMessageParam['content'] =
        image === null ? text : [{ type: 'text', text }, { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${image.toString('base64')}` } }];
      const messages: ChatCompletionMessageParam[] = [{ role: 'user', content }];
      const first = await askUntilReachable(task, messages, usage, signal);
      let parsed = parseAnswer(first.value);
      let answered = first;
      let latencyMs = clock.now() - first.grantedAtMs;
      if (!parsed.ok) {
        if (usage.attempts - usage.forgiven >= settings.maxAttempts) throw new LlmFailureError('malformed_answer', parsed.problem, usage.attempts, usage.tokens);
        const repair = [...messages, { role: 'assistant' as const, content: first.value }, { role: 'user' as const, content: REPAIR[deps.template.language](parsed.problem) }];
        answered = await ask(task, repair, usage, signal);
        latencyMs += clock.now() - answered.grantedAtMs;
        const repaired = parseAnswer(answered.value);
        if (!repaired.ok) throw new LlmFailureError('malformed_answer', `${repaired.problem} (after one repair request)`, usage.attempts, usage.tokens);
        parsed = repaired;
      }
      return { verdict: parsed.verdict, keyName: answered.keyName, attempts: usage.attempts, latencyMs: Math.max(0, Math.round(latencyMs)), tokens: usage.tokens };
    },
  };
}

export type LlmAssessor = ReturnType<typeof createLlmAssessor>;

function failureOf(error: unknown, usage: Usage, deadline: AbortSignal): LlmFailureError {
  const fail = (failure: LlmFailure, message: string) => new LlmFailureError(failure, message, usage.attempts, usage.tokens);
  const text = error instanceof Error ? error.message : String(error);
  if (error instanceof LeaseDeadlineError) return fail(usage.attempts === 0 ? 'no_key_before_deadline' : 'timeout', text);
  if (deadline.aborted) return fail(usage.attempts === 0 ? 'no_key_before_deadline' : 'timeout', "the task's deadline passed before the LLM answered");
  if (error instanceof NoUsableKeysError) return fail('no_usable_keys', text);
  if (error instanceof RequestRejectedError) return fail('rejected', text);
  if (error instanceof AttemptsExhaustedError) return fail(usage.last?.error === 'timeout' ? 'timeout' : 'attempts_exhausted', text);
  return fail('attempts_exhausted', text);
}
