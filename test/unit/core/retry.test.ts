import { describe, expect, it } from 'vitest';
import { AppError } from '../../../backend/core/errors.js';
import { backoffDelay, retry } from '../../../backend/core/retry.js';
import { FakeClock } from '../../support/fakeClock.js';

describe('core > retry', () => {
  it('retries retriable errors with capped exponential backoff until success', async () => {
    const clock = new FakeClock();
    const delays: number[] = [];
    let calls = 0;
    const result = retry(
      async () => {
        calls += 1;
        if (calls < 4) throw new AppError('flaky', 'try again', { retriable: true });
        return 'ok';
      },
      { attempts: 5, initialDelayMs: 100, maxDelayMs: 250, clock, onRetry: (_error, _attempt, delay) => delays.push(delay) },
    );
    await clock.advance(1000);
    expect(await result).toBe('ok');
    expect(delays).toEqual([100, 200, 250]);
  });

  it('does not retry an error that is not retriable, and gives up after the last attempt', async () => {
    let calls = 0;
    await expect(retry(async () => { calls += 1; throw new AppError('bad', 'no'); }, { attempts: 5, initialDelayMs: 1, maxDelayMs: 1 })).rejects.toThrow('no');
    expect(calls).toBe(1);
    calls = 0;
    await expect(retry(async () => { calls += 1; throw new AppError('flaky', 'still failing', { retriable: true }); }, { attempts: 3, initialDelayMs: 1, maxDelayMs: 1 })).rejects.toThrow('still failing');
    expect(calls).toBe(3);
    expect(backoffDelay({ initialDelayMs: 300, maxDelayMs: 10_000 }, 4)).toBe(2400);
  });
});
