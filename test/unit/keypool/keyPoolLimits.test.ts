import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeyPool, type Lease } from '../../../backend/keypool/keyPool.js';
import { FakeClock } from '../../support/fakeClock.js';
import { keysConfig, type TestKey } from '../../support/keyConfig.js';
import { maxInWindow, saturate, simulate, type Arrival, type Grant } from '../../support/poolSimulation.js';

const keyArbitrary = fc
  .record({ qps: fc.integer({ min: 1, max: 8 }), rpmFactor: fc.double({ min: 1, max: 60, noNaN: true }), account: fc.boolean() })
  .map(({ qps, rpmFactor, account }) => ({ qps, rpm: Math.max(qps, Math.round(qps * rpmFactor)), account }));

const arrivalArbitrary = fc.record({
  at: fc.integer({ min: 0, max: 70_000 }),
  priority: fc.integer({ min: 0, max: 9 }),
  latency: fc.integer({ min: 20, max: 2500 }),
});

describe('keypool > keyPool limits', () => {
  it('never lets a key exceed its QPS in any 1 s window or its RPM in any 60 s window (randomized workloads)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(keyArbitrary, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 20, max: 120 }),
        fc.array(arrivalArbitrary, { minLength: 50, maxLength: 600 }),
        fc.constantFrom('round_robin', 'least_load', 'priority'),
        async (specs, accountRpm, arrivals, strategy) => {
          const keys: TestKey[] = specs.map((spec, index) => ({ name: `k${index}`, qps: spec.qps, rpm: spec.rpm, priority: index % 2, account: spec.account ? 'shared' : undefined }));
          const config = keysConfig(keys, { strategy, accounts: [{ name: 'shared', rpm_limit: accountRpm }] });
          const clock = new FakeClock();
          const grants = await simulate(createKeyPool(config, { clock }), clock, arrivals as Arrival[], 75_000);
          for (const key of keys) {
            const times = grants.filter((grant) => grant.key === key.name).map((grant) => grant.at);
            expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(key.qps);
            expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(key.rpm);
          }
          const accountTimes = grants.filter((grant) => keys.find((key) => key.name === grant.key)?.account).map((grant) => grant.at);
          expect(maxInWindow(accountTimes, 60_000)).toBeLessThanOrEqual(accountRpm);
          expect(grants.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 40, seed: 20261128 },
    );
  }, 120_000);

  it('spends all but the jitter budget of every key limit when demand exceeds capacity, paced without bursts', async () => {
    const clock = new FakeClock();
    const keys = Array.from({ length: 10 }, (_, index) => ({ name: `key-${index}`, qps: 5, rpm: 300 }));
    const pool = createKeyPool(keysConfig(keys), { clock });
    const grants: Grant[] = [];
    saturate(pool, clock, 120, 800, grants);
    await clock.advance(60_000);
    pool.close();
    // The grid's ceiling with the default 50 ms budget is 1000 / 1050 of the limit; a grant lost here is a slot missed.
    expect(grants.length / (50 * 60)).toBeGreaterThanOrEqual(0.99 * (1000 / 1050));
    for (const key of keys) {
      const times = grants.filter((grant) => grant.key === key.name).map((grant) => grant.at);
      expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(5);
      const gaps = times.slice(1).map((time, index) => time - times[index]!);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(200);
    }
  });

  it('spends an RPM-bound key evenly over the minute instead of in a burst', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 5, rpm: 100 }]), { clock });
    const grants: Grant[] = [];
    saturate(pool, clock, 20, 100, grants);
    await clock.advance(60_000);
    pool.close();
    expect(grants.length).toBeGreaterThanOrEqual(97);
    expect(maxInWindow(grants.map((grant) => grant.at), 10_000)).toBeLessThanOrEqual(17);
  });

  it('paces the keys of one account to the account RPM, and reports that capacity', async () => {
    const clock = new FakeClock();
    const config = keysConfig(
      [
        { name: 'a', qps: 5, rpm: 300, account: 'acct' },
        { name: 'b', qps: 5, rpm: 300, account: 'acct' },
      ],
      { accounts: [{ name: 'acct', rpm_limit: 120 }] },
    );
    const pool = createKeyPool(config, { clock });
    expect(pool.health().accounts).toEqual([expect.objectContaining({ name: 'acct', keys: 2, capacity_rps: 2 })]);
    expect(pool.health().capacity_rps).toBe(2);
    const grants: Grant[] = [];
    saturate(pool, clock, 20, 300, grants);
    await clock.advance(120_000);
    pool.close();
    expect(maxInWindow(grants.map((grant) => grant.at), 60_000)).toBeLessThanOrEqual(120);
    expect(grants.length).toBeGreaterThanOrEqual(0.97 * 240);
    expect(new Set(grants.map((grant) => grant.key))).toEqual(new Set(['a', 'b']));
  });

  it('bounds requests in flight per key', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 50, rpm: 3000, maxInFlight: 2 }]), { clock });
    const grants: Grant[] = [];
    saturate(pool, clock, 10, 1000, grants);
    await clock.advance(10_000);
    pool.close();
    expect(maxInWindow(grants.map((grant) => grant.at), 999)).toBeLessThanOrEqual(2);
    expect(grants.length).toBeGreaterThanOrEqual(19);
  });

  it('holds a TPM budget with estimates and frees it when responses report fewer tokens', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 10, rpm: 600, tpm: 3000 }], { default_request_tokens: 1000 }), { clock });
    const leases: Lease[] = [];
    for (let i = 0; i < 4; i++) void pool.acquire().then((lease) => leases.push(lease));
    await clock.advance(5000);
    expect(leases).toHaveLength(3);
    pool.release(leases[0]!, { kind: 'success', latencyMs: 10, status: 200, tokens: 200 });
    await clock.advance(1);
    expect(leases).toHaveLength(3); // 200 + 1000 + 1000 reserved: another 1000 still does not fit
    pool.release(leases[1]!, { kind: 'success', latencyMs: 10, status: 200, tokens: 300 });
    await clock.advance(1);
    expect(leases).toHaveLength(4);
    pool.close();
  });
});
