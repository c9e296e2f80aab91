// Runs one request through the pool with the failover policy of the original design: a retriable failure
// (5xx, timeout) is retried on the same key up to max_retry_per_key times, then on another key; a 429 or a
// refused key moves to another key at once; a request the provider calls malformed (other 4xx) is not retried.
import { AttemptsExhaustedError, RequestRejectedError } from './errors.js';
import type { AcquireOptions, KeyPool, Lease } from './keyPool.js';
import type { LeaseOutcome } from './outcome.js';

export interface AttemptResult<T> {
  outcome: LeaseOutcome;
  /** Present when the outcome is a success. */
  value?: T;
}

export interface ExecuteOptions extends Omit<AcquireOptions, 'onlyKey' | 'avoidKey'> {
  maxRetryPerKey: number;
  /** Upper bound on attempts over all keys; the deadline bounds the time. */
  maxAttempts: number;
}

export interface Executed<T> {
  value: T;
  keyName: string;
  /** Epoch ms at which the successful attempt's lease was granted. */
  grantedAtMs: number;
  attempts: number;
  /** Time spent waiting for leases, summed over attempts. */
  waitedMs: number;
}

export async function executeWithPool<T>(pool: KeyPool, attempt: (lease: Lease) => Promise<AttemptResult<T>>, options: ExecuteOptions): Promise<Executed<T>> {
  let pinned: string | undefined;
  let leftKey: string | undefined;
  let retriesOnKey = 0;
  let waitedMs = 0;
  let lastError: string | null = null;
  const { maxRetryPerKey, maxAttempts, ...acquire } = options;
  for (let attempts = 1; attempts <= maxAttempts; attempts++) {
    const lease = await pool.acquire({ ...acquire, onlyKey: pinned, avoidKey: leftKey });
    waitedMs += lease.waitedMs;
    const result = await attempt(lease);
    pool.release(lease, result.outcome);
    const { kind } = result.outcome;
    lastError = result.outcome.error ?? (kind === 'success' ? null : `${kind} (HTTP ${result.outcome.status ?? 'none'})`);
    if (kind === 'success' && result.value !== undefined) return { value: result.value, keyName: lease.keyName, grantedAtMs: lease.grantedAtMs, attempts, waitedMs };
    if (kind === 'client') throw new RequestRejectedError(result.outcome.status, result.outcome.error ?? null);
    if (kind === 'cancelled') throw options.signal?.reason ?? new AttemptsExhaustedError(attempts, 'cancelled');
    const retrySameKey = kind === 'server' && retriesOnKey < maxRetryPerKey;
    pinned = retrySameKey ? lease.keyName : undefined;
    // Moving on means another key, not whichever the strategy likes best, which may be the same one again.
    leftKey = retrySameKey ? undefined : lease.keyName;
    retriesOnKey = retrySameKey ? retriesOnKey + 1 : 0;
  }
  throw new AttemptsExhaustedError(maxAttempts, lastError);
}
