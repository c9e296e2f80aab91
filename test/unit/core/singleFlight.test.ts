import { describe, expect, it } from 'vitest';
import { singleFlight } from '../../../backend/core/singleFlight.js';

describe('core > singleFlight', () => {
  it('hands a caller the call still in flight for its key, and starts anew once it settled, failed or not', async () => {
    const flight = singleFlight<string>();
    let started = 0;
    let settle: (value: string) => void = () => undefined;
    const start = (): Promise<string> => {
      started++;
      return new Promise((resolve) => (settle = resolve));
    };
    const first = flight('a', start);
    expect(flight('a', start)).toBe(first);
    const other = flight('b', async () => 'b');
    expect(started).toBe(1);
    settle('one');
    expect(await first).toBe('one');
    expect(await other).toBe('b');
    await expect(flight('a', () => Promise.reject(new Error('broker away')))).rejects.toThrow('broker away');
    expect(await flight('a', async () => 'again')).toBe('again');
  });
});
