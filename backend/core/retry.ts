// The one retry helper: retries only errors that say they are retriable, with capped exponential backoff.
import { systemClock, type Clock } from './clock.js';
import { isRetriable } from './errors.js';

export interface RetryPolicy {
  /** Attempts in all, including the first. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface RetryOptions extends RetryPolicy {
  clock?: Clock;
  signal?: AbortSignal;
  /** Called before each wait, e.g. to log or count the failure that is being retried. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export function backoffDelay(policy: Pick<RetryPolicy, 'initialDelayMs' | 'maxDelayMs'>, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
}

/** Runs `work` until it succeeds, throws a non-retriable error, or runs out of attempts (the last error is thrown). */
export async function retry<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const clock = options.clock ?? systemClock;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= options.attempts || !isRetriable(error) || options.signal?.aborted) throw error;
      const delay = backoffDelay(options, attempt);
      options.onRetry?.(error, attempt, delay);
      await clock.sleep(delay, options.signal);
    }
  }
}
