// Drives a key pool on a fake clock: requests arrive at given times, hold their lease for a latency, and release.
import type { KeyPool, Lease } from '../../backend/keypool/keyPool.js';
import type { LeaseOutcome } from '../../backend/keypool/outcome.js';
import type { FakeClock } from './fakeClock.js';

export interface Arrival {
  at: number;
  priority: number;
  latency: number;
  outcome?: (lease: Lease) => LeaseOutcome;
}

export interface Grant {
  key: string;
  at: number;
  priority: number;
}

export async function simulate(pool: KeyPool, clock: FakeClock, arrivals: readonly Arrival[], untilMs: number): Promise<Grant[]> {
  const grants: Grant[] = [];
  for (const arrival of arrivals) {
    void clock.sleep(arrival.at).then(async () => {
      let lease: Lease;
      try {
        lease = await pool.acquire({ priority: arrival.priority });
      } catch {
        return; // the pool was closed at the end of the run
      }
      grants.push({ key: lease.keyName, at: clock.monotonic(), priority: arrival.priority });
      await clock.sleep(arrival.latency);
      pool.release(lease, arrival.outcome?.(lease) ?? { kind: 'success', latencyMs: arrival.latency, status: 200 });
    });
  }
  await clock.advance(untilMs);
  pool.close();
  return grants;
}

/** Largest number of grant times inside any closed window [t, t + windowMs]. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! <= sorted[start]! + windowMs) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

/** `workers` loops of acquire → hold for `latency` → release, from time 0 until the clock stops. */
export function saturate(pool: KeyPool, clock: FakeClock, workers: number, latency: number, grants: Grant[], priority = 0): void {
  for (let worker = 0; worker < workers; worker++) {
    void (async () => {
      for (;;) {
        let lease: Lease;
        try {
          lease = await pool.acquire({ priority });
        } catch {
          return;
        }
        grants.push({ key: lease.keyName, at: clock.monotonic(), priority });
        await clock.sleep(latency);
        pool.release(lease, { kind: 'success', latencyMs: latency, status: 200 });
      }
    })();
  }
}
