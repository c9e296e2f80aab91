import { describe, expect, it } from 'vitest';
import { AttemptsExhaustedError, RequestRejectedError } from '../../../backend/keypool/errors.js';
import { executeWithPool, type AttemptResult } from '../../../backend/keypool/executeWithPool.js';
import { createKeyPool, type Lease } from '../../../backend/keypool/keyPool.js';
import type { OutcomeKind } from '../../../backend/keypool/outcome.js';
import { FakeClock } from '../../support/fakeClock.js';
import { keysConfig } from '../../support/keyConfig.js';

/** An attempt function that answers from a script, per key, and logs which key each attempt used. */
function scripted(script: Record<string, OutcomeKind[]>, used: string[]): (lease: Lease) => Promise<AttemptResult<string>> {
  return async (lease) => {
    used.push(lease.keyName);
    const kind = script[lease.keyName]?.shift() ?? 'success';
    const status = { success: 200, rate_limited: 429, auth: 401, server: 503, client: 400, cancelled: null }[kind];
    return kind === 'success' ? { outcome: { kind, latencyMs: 1, status }, value: `answer from ${lease.keyName}` } : { outcome: { kind, latencyMs: 1, status } };
  };
}

const twoKeys = () => createKeyPool(keysConfig([{ name: 'a', qps: 1000, rpm: 60_000, priority: 9 }, { name: 'b', qps: 1000, rpm: 60_000 }], { strategy: 'priority' }));

describe('keypool > executeWithPool', () => {
  it('retries a server failure on the same key up to max_retry_per_key, then moves to another key', async () => {
    const used: string[] = [];
    const result = await executeWithPool(twoKeys(), scripted({ a: ['server', 'server', 'server'] }, used), { maxRetryPerKey: 2, maxAttempts: 10 });
    expect(used).toEqual(['a', 'a', 'a', 'b']);
    expect(result).toMatchObject({ value: 'answer from b', keyName: 'b', attempts: 4 });
  });

  it('moves to another key after the retries even when the failing key is free and the strategy prefers it', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 1000, rpm: 60_000, priority: 9 }, { name: 'b', qps: 1000, rpm: 60_000 }], { strategy: 'priority' }), { clock });
    const used: string[] = [];
    const answer = scripted({ a: ['server', 'server', 'server', 'server'] }, used);
    // A second passes between attempts, so key a's rate limit never stands in the way: only the retry rule can.
    const attempt = async (lease: Lease): Promise<AttemptResult<string>> => {
      await clock.advance(1000);
      return answer(lease);
    };
    const result = await executeWithPool(pool, attempt, { maxRetryPerKey: 2, maxAttempts: 10 });
    expect(used).toEqual(['a', 'a', 'a', 'b']);
    expect(result.keyName).toBe('b');
  });

  it('moves to another key at once after a 429 or a refused key', async () => {
    for (const kind of ['rate_limited', 'auth'] as const) {
      const used: string[] = [];
      await executeWithPool(twoKeys(), scripted({ a: [kind] }, used), { maxRetryPerKey: 3, maxAttempts: 10 });
      expect(used).toEqual(['a', 'b']);
    }
  });

  it('does not retry a request the provider rejected as invalid', async () => {
    const used: string[] = [];
    await expect(executeWithPool(twoKeys(), scripted({ a: ['client'] }, used), { maxRetryPerKey: 3, maxAttempts: 10 })).rejects.toBeInstanceOf(RequestRejectedError);
    expect(used).toEqual(['a']);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const used: string[] = [];
    const pool = twoKeys();
    const failing = scripted({ a: Array(10).fill('server'), b: Array(10).fill('server') }, used);
    await expect(executeWithPool(pool, failing, { maxRetryPerKey: 1, maxAttempts: 4 })).rejects.toBeInstanceOf(AttemptsExhaustedError);
    expect(used).toEqual(['a', 'a', 'b', 'b']);
  });
});
