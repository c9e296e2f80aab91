import { describe, expect, it } from 'vitest';
import { LeaseDeadlineError, NoUsableKeysError } from '../../../backend/keypool/errors.js';
import { createKeyPool, type KeyPool, type KeyPoolEvents, type Lease } from '../../../backend/keypool/keyPool.js';
import { FakeClock } from '../../support/fakeClock.js';
import { keysConfig } from '../../support/keyConfig.js';
import { saturate, type Grant } from '../../support/poolSimulation.js';

function collect<E extends keyof KeyPoolEvents>(pool: KeyPool, event: E): KeyPoolEvents[E][0][] {
  const seen: KeyPoolEvents[E][0][] = [];
  pool.on(event, ((payload: KeyPoolEvents[E][0]) => seen.push(payload)) as never);
  return seen;
}

const ok = { kind: 'success', latencyMs: 100, status: 200 } as const;

describe('keypool > keyPool', () => {
  it('grants waiting requests highest priority first, in arrival order within a priority', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 1, rpm: 60 }]), { clock });
    await pool.acquire();
    const order: number[] = [];
    for (const priority of [1, 5, 9, 3, 9]) void pool.acquire({ priority }).then(() => order.push(priority));
    // The first (cold) request took its block's two slots; the five follow one slot (1.03 s) apart.
    await clock.advance(6500);
    expect(order).toEqual([9, 9, 5, 3, 1]);
    pool.close();
  });

  it('does not starve a low-priority request under a steady stream of high-priority ones', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 2, rpm: 120 }]), { clock });
    const grants: Grant[] = [];
    saturate(pool, clock, 10, 10, grants, 9);
    await clock.advance(1000);
    let grantedAt: number | null = null;
    void pool.acquire({ priority: 0 }).then(() => (grantedAt = clock.monotonic()));
    await clock.advance(60_000);
    pool.close();
    expect(grantedAt).not.toBeNull();
    // Bound: 5 s of aging per priority level (9 levels) plus the ~5 s the ten high-priority requests themselves
    // wait at 2 requests/s, plus the key's pacing.
    expect(grantedAt!).toBeGreaterThan(40_000);
    expect(grantedAt!).toBeLessThan(1000 + 9 * 5000 + 5000 + 2000);
  });

  it('cools a key down after a 429 for Retry-After while the other keys carry on', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 5, rpm: 300 }, { name: 'b', qps: 5, rpm: 300 }], { strategy: 'round_robin' }), { clock });
    const states = collect(pool, 'key_state');
    const first = await pool.acquire();
    pool.release(first, { kind: 'rate_limited', latencyMs: 5, status: 429, retryAfterMs: 3000 });
    expect(states).toEqual([expect.objectContaining({ key: first.keyName, from: 'healthy', to: 'cooling' })]);
    const grants: Grant[] = [];
    saturate(pool, clock, 5, 50, grants);
    await clock.advance(2900);
    expect(new Set(grants.map((grant) => grant.key))).toEqual(new Set([first.keyName === 'a' ? 'b' : 'a']));
    expect(pool.health().keys.find((key) => key.name === first.keyName)).toMatchObject({ state: 'cooling', cooldown_remaining_ms: 100 });
    await clock.advance(2000);
    expect(grants.filter((grant) => grant.key === first.keyName).length).toBeGreaterThan(0);
    pool.close();
  });

  it('disables a key refused with 401, raises an alert, and never uses it again', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 5, rpm: 300 }, { name: 'b', qps: 5, rpm: 300 }]), { clock });
    const alerts = collect(pool, 'key_disabled');
    const lease = await pool.acquire();
    pool.release(lease, { kind: 'auth', latencyMs: 5, status: 401, error: 'HTTP 401 invalid_api_key' });
    expect(alerts).toEqual([{ key: lease.keyName, status: 401, reason: 'disabled after HTTP 401' }]);
    const grants: Grant[] = [];
    saturate(pool, clock, 5, 50, grants);
    await clock.advance(120_000);
    expect(grants.every((grant) => grant.key !== lease.keyName)).toBe(true);
    expect(pool.health()).toMatchObject({ available_count: 1 });
    expect(pool.health().keys.find((key) => key.name === lease.keyName)).toMatchObject({ state: 'disabled', last_error: 'HTTP 401 invalid_api_key' });
    pool.close();
  });

  it('fails waiting requests at once when every key is disabled', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 5, rpm: 300 }]), { clock });
    const lease = await pool.acquire();
    const waiting = pool.acquire();
    pool.release(lease, { kind: 'auth', latencyMs: 5, status: 403 });
    await expect(waiting).rejects.toBeInstanceOf(NoUsableKeysError);
    await expect(pool.acquire()).rejects.toBeInstanceOf(NoUsableKeysError);
  });

  it('opens a key circuit after consecutive failures, probes it once, and closes it on success', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 50, rpm: 3000 }], { circuit_breaker: { failure_threshold: 3, open_seconds: 10 } }), { clock });
    const states = collect(pool, 'key_state');
    for (let i = 0; i < 3; i++) {
      const lease = await acquireSoon(pool, clock);
      pool.release(lease, { kind: 'server', latencyMs: 5, status: 503 });
    }
    expect(states.at(-1)).toMatchObject({ from: 'healthy', to: 'open' });
    const probes: Lease[] = [];
    for (let i = 0; i < 3; i++) void pool.acquire().then((lease) => probes.push(lease));
    await clock.advance(9_900);
    expect(probes).toHaveLength(0);
    await clock.advance(200);
    expect(probes).toHaveLength(1);
    pool.release(probes[0]!, ok);
    expect(states.at(-1)).toMatchObject({ from: 'half_open', to: 'healthy' });
    await clock.advance(100);
    expect(probes).toHaveLength(3);
    pool.close();
  });

  it('uses only the send slots of the partitions it owns, and none without partitions', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 4, rpm: 240 }]), { clock, ownership: { owned: new Set([0]), total: 2 } });
    // Slots 1.05 / 4 s apart (the default 50 ms jitter budget), every other block of two this instance's.
    expect(pool.health()).toMatchObject({ share: 0.5, owned_partitions: [0], total_partitions: 2 });
    expect(pool.health().keys[0]!.effective.qps).toBeCloseTo(4 / 1.05 / 2, 5);
    const grants: Grant[] = [];
    saturate(pool, clock, 10, 10, grants);
    await clock.advance(10_000);
    // 19 own slots in 10 s, less the cold first block's second slot and the wait for the first.
    expect(grants.length).toBeGreaterThanOrEqual(17);
    expect(grants.length).toBeLessThanOrEqual(20);
    pool.setOwnership([], 2);
    const before = grants.length;
    await clock.advance(10_000);
    expect(grants.length).toBe(before);
    expect(pool.health().keys[0]!.effective.qps).toBe(0);
    pool.setOwnership([0, 1], 2);
    await clock.advance(10_000);
    // 38.1 slots in 10 s, less the block after the gain (a former owner's requests may still arrive in it) and
    // the second slot of the first, cold block.
    expect(grants.length).toBeGreaterThanOrEqual(before + 34);
    pool.close();
  });

  it('hot-reloads keys: adds, removes (keeping in-flight leases valid) and revives a rotated key', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 5, rpm: 300 }, { name: 'b', qps: 5, rpm: 300 }]), { clock });
    const reloads = collect(pool, 'reloaded');
    const leaseA = await acquireWhere(pool, clock, 'a');
    const leaseB = await acquireWhere(pool, clock, 'b');
    pool.release(leaseB, { kind: 'auth', latencyMs: 5, status: 401 });

    const rotated = keysConfig([{ name: 'b', qps: 5, rpm: 300 }, { name: 'c', qps: 5, rpm: 300 }]);
    rotated.keys[0]!.api_key = 'sk-test-b-rotated-000000';
    pool.reload(rotated);
    expect(reloads).toEqual([{ added: ['c'], removed: ['a'], rotated: ['b'] }]);
    expect(pool.health().keys.map((key) => [key.name, key.state])).toEqual([['b', 'healthy'], ['c', 'healthy']]);

    pool.release(leaseA, ok);
    const grants: Grant[] = [];
    saturate(pool, clock, 4, 50, grants);
    await clock.advance(5000);
    expect(new Set(grants.map((grant) => grant.key))).toEqual(new Set(['b', 'c']));
    pool.close();
  });

  it('rejects a request whose deadline passes while it waits, and one whose caller aborts', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 1, rpm: 60 }]), { clock });
    await pool.acquire();
    const late = pool.acquire({ deadline: clock.now() + 500 });
    const controller = new AbortController();
    const aborted = pool.acquire({ signal: controller.signal });
    const lateResult = late.catch((error: unknown) => error);
    const abortedResult = aborted.catch((error: unknown) => error);
    await clock.advance(499);
    controller.abort(new Error('operator closed the view'));
    await clock.advance(10);
    expect(await lateResult).toBeInstanceOf(LeaseDeadlineError);
    expect(await abortedResult).toMatchObject({ message: 'operator closed the view' });
    expect(pool.health().waiting).toBe(0);
    pool.close();
  });

  it('reports health by key name with success rate and latency, and never contains a key', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 50, rpm: 3000 }]), { clock });
    for (const [kind, latencyMs] of [['success', 100], ['success', 300], ['server', 50], ['success', 200]] as const) {
      pool.release(await acquireSoon(pool, clock), { kind, latencyMs, status: kind === 'success' ? 200 : 500 });
    }
    const health = pool.health();
    expect(health).toMatchObject({ available_count: 1, strategy: 'least_load', share: 1, owned_partitions: [0], total_partitions: 1 });
    // 50 requests in 1 s + the 50 ms jitter budget.
    expect(health.capacity_rps).toBeCloseTo(50 / 1.05, 5);
    expect(health.keys[0]).toMatchObject({ name: 'a', state: 'healthy', success_rate: 0.75, avg_latency_ms: 200, p95_latency_ms: 300, requests_total: 4 });
    expect(JSON.stringify(health)).not.toContain('sk-test');
  });

  it('ignores a second release of the same lease', async () => {
    const clock = new FakeClock();
    const pool = createKeyPool(keysConfig([{ name: 'a', qps: 5, rpm: 300 }]), { clock });
    const lease = await pool.acquire();
    pool.release(lease, ok);
    pool.release(lease, ok);
    expect(pool.health().keys[0]).toMatchObject({ in_flight: 0, requests_total: 1 });
  });
});

async function acquireSoon(pool: KeyPool, clock: FakeClock): Promise<Lease> {
  const pending = pool.acquire();
  await clock.advance(1000);
  return pending;
}

async function acquireWhere(pool: KeyPool, clock: FakeClock, name: string): Promise<Lease> {
  for (;;) {
    const lease = await acquireSoon(pool, clock);
    if (lease.keyName === name) return lease;
    pool.release(lease, ok);
  }
}
