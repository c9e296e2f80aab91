import { once, setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLlmClient } from '../../../backend/assess/llmClient.js';
import { apiKeysConfigSchema } from '../../../backend/config/index.js';
import { executeWithPool } from '../../../backend/keypool/executeWithPool.js';
import { createKeyPool, type KeyPool } from '../../../backend/keypool/keyPool.js';
import { generatedKeys, simApiKey, simKeyName } from '../../../backend/llmsim/simKeys.js';
import { startLlmSim, type LlmSim, type LlmSimOptions } from '../../../backend/llmsim/simServer.js';

let sim: LlmSim | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

function poolFor(keys: number, qps: number, rpm: number, extra: Record<string, unknown> = {}): KeyPool {
  return createKeyPool(
    apiKeysConfigSchema.parse({
      allow_plaintext_keys: true,
      // The suite shares two cores with other test files: a wider jitter budget keeps event-loop stalls from
      // squeezing requests together. `tcr bench keypool` measures the default budget.
      slot_jitter_budget_ms: 100,
      ...extra,
      keys: Array.from({ length: keys }, (_, index) => ({ name: simKeyName(index), api_key: simApiKey(simKeyName(index)), qps_limit: qps, rpm_limit: rpm })),
    }),
  );
}

async function load(pool: KeyPool, server: LlmSim, workers: number, durationMs: number): Promise<{ ok: number; failed: string[] }> {
  // Wired as the scheduler wires it: the pool hears of each send and of each write to the socket.
  const client = createLlmClient({ baseUrl: `${server.url}/v1`, model: 'qwen-vl-plus', timeoutMs: 5000, onSend: (lease) => pool.recordSend(lease), onWire: (lease) => pool.recordWrite(lease) });
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  let ok = 0;
  const failed: string[] = [];
  const run = async (id: number): Promise<void> => {
    for (let n = 0; !stop.signal.aborted; n++) {
      try {
        await executeWithPool(pool, (lease) => client.complete(lease, { messages: [{ role: 'user', content: `worker ${id} request ${n}` }] }), {
          signal: stop.signal,
          maxRetryPerKey: 2,
          maxAttempts: 12,
          priority: n % 10,
        });
        ok += 1;
      } catch (error) {
        if (!stop.signal.aborted) failed.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  const running = Array.from({ length: workers }, (_, id) => run(id));
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  stop.abort(new Error('done'));
  await Promise.all(running);
  pool.close();
  return { ok, failed };
}

async function start(overrides: Partial<LlmSimOptions>): Promise<LlmSim> {
  sim = await startLlmSim({ host: '127.0.0.1', port: 0, keys: generatedKeys(3, 5, 300), latencyMs: 60, jitterMs: 40, errorRate: 0, malformedRate: 0, seed: 3, ...overrides });
  return sim;
}

describe('keypool > pool against llm-sim (over HTTP)', () => {
  it('runs at saturation without a single 429 from the simulator', async () => {
    const server = await start({});
    const result = await load(poolFor(3, 5, 300), server, 30, 5000);
    const stats = server.stats();
    expect(result.failed).toEqual([]);
    expect(stats.totals.http_429).toBe(0);
    expect(result.ok).toBe(stats.totals.ok);
    for (const key of Object.values(stats.keys)) {
      expect(key.max_in_1s).toBeLessThanOrEqual(5);
      expect(key.ok).toBeGreaterThan(10);
    }
  });

  it('loses no request when a key is revoked mid-run: it is disabled and the others carry the load', async () => {
    const server = await start({});
    const pool = poolFor(3, 5, 300);
    const disabled: string[] = [];
    pool.on('key_disabled', (event) => disabled.push(event.key));
    setTimeout(() => server.revoke('key-002'), 1500);
    const result = await load(pool, server, 30, 4000);
    expect(result.failed).toEqual([]);
    expect(disabled).toEqual(['key-002']);
    expect(server.stats().keys['key-002']).toMatchObject({ http_401: 1 });
    expect(server.stats().totals.http_429).toBe(0);
  });

  it('rides through injected server errors with retries, and through malformed content as a success of the key', async () => {
    const server = await start({ errorRate: 0.1, malformedRate: 0.1, latencyMs: 20, jitterMs: 10 });
    const pool = poolFor(3, 5, 300, { circuit_breaker: { failure_threshold: 50 } });
    const result = await load(pool, server, 20, 4000);
    const stats = server.stats();
    expect(stats.totals.http_5xx).toBeGreaterThan(0);
    expect(result.failed).toEqual([]);
    expect(result.ok).toBe(stats.totals.ok + stats.totals.malformed);
    expect(pool.health().keys.every((key) => key.state === 'healthy')).toBe(true);
  });

  it('opens connections before the first request without spending a key, and the requests then use them', async () => {
    sim = await start({ keys: generatedKeys(2, 10, 600) });
    const client = createLlmClient({ baseUrl: `${sim.url}/v1`, model: 'qwen-vl-plus', timeoutMs: 5000 });
    expect(await client.warmUp(4)).toBe(4);
    expect(sim.stats().totals.requests).toBe(0);
    expect(Object.values(sim.stats().keys).map((key) => key.requests)).toEqual([0, 0]);

    // The connections stay open for what follows: four requests at once open no fifth.
    let connections = 0;
    const server = createServer((req, res) => res.end('{}')).on('connection', () => (connections += 1));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const warm = createLlmClient({ baseUrl: `${url}/v1`, model: 'qwen-vl-plus', timeoutMs: 5000 });
      expect(await warm.warmUp(4)).toBe(4);
      expect(connections).toBe(4);
      // The client hands a connection back to its pool a moment after the body's end (the group's join takes seconds).
      await new Promise((resolve) => setTimeout(resolve, 100));
      await Promise.all(Array.from({ length: 4 }, async () => (await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: '{}' })).arrayBuffer()));
      expect(connections).toBe(4);
    } finally {
      server.closeAllConnections();
      server.close();
    }
    // An endpoint that is down answers none, and the warm-up says so instead of failing.
    expect(await createLlmClient({ baseUrl: `${url}/v1`, model: 'qwen-vl-plus', timeoutMs: 5000 }).warmUp(2)).toBe(0);
  });

  it('hears when each request reaches the socket, after its send; one that never does frees its key all the same', async () => {
    sim = await start({ keys: generatedKeys(1, 10, 600) });
    const pool = poolFor(1, 10, 600);
    const events: string[] = [];
    const client = createLlmClient({
      baseUrl: `${sim.url}/v1`,
      model: 'qwen-vl-plus',
      timeoutMs: 5000,
      onSend: (lease) => events.push(`send ${lease.id}`),
      onWire: (lease) => {
        events.push(`wire ${lease.id}`);
        pool.recordWrite(lease);
      },
    });
    for (let n = 0; n < 3; n++) {
      const lease = await pool.acquire({ deadline: Date.now() + 5000 });
      const { outcome } = await client.complete(lease, { messages: [{ role: 'user', content: `request ${n}` }] });
      pool.release(lease, outcome);
      expect(outcome.kind).toBe('success');
    }
    expect(events).toEqual(['send 1', 'wire 1', 'send 2', 'wire 2', 'send 3', 'wire 3']);

    // Nothing listens there: the request is never written, and once it fails the key takes the next one.
    const dead = createLlmClient({ baseUrl: 'http://127.0.0.1:9/v1', model: 'qwen-vl-plus', timeoutMs: 2000, onWire: (lease) => events.push(`wire ${lease.id}`) });
    const lease = await pool.acquire({ deadline: Date.now() + 5000 });
    const { outcome } = await dead.complete(lease, { messages: [{ role: 'user', content: 'nobody there' }] });
    pool.release(lease, outcome);
    expect(outcome.kind).toBe('server');
    expect(events.at(-1)).toBe('wire 3');
    const next = await pool.acquire({ deadline: Date.now() + 3000 });
    expect(next.id).toBe(5);
    pool.close();
  });
});
