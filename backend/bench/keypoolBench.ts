// `tcr bench keypool`: drives the key pool against llm-sim over HTTP with more demand than capacity and measures
// how much of the keys' limits it spends, whether the simulator ever had to answer 429, and what revoking a key costs.
import { setMaxListeners } from 'node:events';
import { apiKeysConfigSchema, type ApiKeysConfig } from '../config/index.js';
import { createLlmClient } from '../assess/llmClient.js';
import { executeWithPool } from '../keypool/executeWithPool.js';
import { createKeyPool } from '../keypool/keyPool.js';
import { generatedKeys, simApiKey, simKeyName } from '../llmsim/simKeys.js';
import { startLlmSim } from '../llmsim/simServer.js';
import { percentile, round } from './percentile.js';

export interface KeypoolBenchOptions {
  keys: number;
  keyQps: number;
  keyRpm: number;
  durationS: number;
  revokeOneAtS: number | null;
  latencyMs: number;
  jitterMs: number;
  concurrency: number | null;
  strategy: ApiKeysConfig['strategy'];
}

interface RequestRecord {
  /** When the request's (last) lease was granted, ms since the start; failures: when the worker gave up. */
  startedAt: number;
  ok: boolean;
  waitedMs: number;
}

function benchConfig(options: KeypoolBenchOptions): ApiKeysConfig {
  return apiKeysConfigSchema.parse({
    strategy: options.strategy,
    allow_plaintext_keys: true,
    keys: Array.from({ length: options.keys }, (_, index) => ({
      name: simKeyName(index),
      api_key: simApiKey(simKeyName(index)),
      qps_limit: options.keyQps,
      rpm_limit: options.keyRpm,
    })),
  });
}

function phase(records: readonly RequestRecord[], fromS: number, toS: number, capacityRps: number): Record<string, number | null> {
  const inPhase = records.filter((record) => record.startedAt >= fromS * 1000 && record.startedAt < toS * 1000);
  const ok = inPhase.filter((record) => record.ok).length;
  const seconds = toS - fromS;
  return {
    seconds,
    requests: inPhase.length,
    success_rate: round(inPhase.length === 0 ? null : ok / inPhase.length, 4),
    throughput_rps: round(ok / seconds, 3),
    capacity_rps: round(capacityRps, 3),
    ratio: round(ok / seconds / capacityRps, 4),
  };
}

export async function runKeypoolBench(options: KeypoolBenchOptions): Promise<Record<string, unknown>> {
  const keyRate = Math.min(options.keyQps, options.keyRpm / 60);
  const sim = await startLlmSim({
    host: '127.0.0.1',
    port: 0,
    keys: generatedKeys(options.keys, options.keyQps, options.keyRpm),
    latencyMs: options.latencyMs,
    jitterMs: options.jitterMs,
    errorRate: 0,
    malformedRate: 0,
    seed: 1,
  });
  const config = benchConfig(options);
  const pool = createKeyPool(config);
  const client = createLlmClient({ baseUrl: `${sim.url}/v1`, model: 'qwen-vl-plus', timeoutMs: 10_000 });
  const capacity = options.keys * keyRate;
  const concurrency = options.concurrency ?? Math.ceil((capacity * (options.latencyMs + options.jitterMs)) / 1000 * 1.5) + 20;
  const records: RequestRecord[] = [];
  let failed = 0;
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every waiting worker listens for the end of the run
  const started = performance.now();
  const startedEpoch = Date.now();
  const elapsed = (): number => performance.now() - started;
  const revokedKey = simKeyName(0);
  const revokeTimer = options.revokeOneAtS === null ? null : setTimeout(() => sim.revoke(revokedKey), options.revokeOneAtS * 1000);

  const worker = async (id: number): Promise<void> => {
    for (let n = 0; !stop.signal.aborted; n++) {
      try {
        const result = await executeWithPool(
          pool,
          (lease) => client.complete(lease, { messages: [{ role: 'user', content: `bench worker ${id} request ${n}: assess the group` }] }),
          { priority: (id + n) % 10, signal: stop.signal, maxRetryPerKey: config.max_retry_per_key, maxAttempts: options.keys * (config.max_retry_per_key + 1) },
        );
        records.push({ startedAt: result.grantedAtMs - startedEpoch, ok: true, waitedMs: result.waitedMs });
      } catch (error) {
        if (stop.signal.aborted) return;
        failed += 1;
        records.push({ startedAt: elapsed(), ok: false, waitedMs: 0 });
        if (!(error instanceof Error)) throw error;
      }
    }
  };

  const workers = Array.from({ length: concurrency }, (_, id) => worker(id));
  await new Promise((resolve) => setTimeout(resolve, options.durationS * 1000));
  stop.abort(new Error('benchmark finished'));
  await Promise.all(workers);
  if (revokeTimer) clearTimeout(revokeTimer);
  pool.close();
  const simStats = sim.stats();
  await sim.close();

  const revokeAt = options.revokeOneAtS;
  const capacitySeconds = revokeAt === null ? capacity * options.durationS : capacity * revokeAt + (capacity - keyRate) * (options.durationS - revokeAt);
  const completed = records.filter((record) => record.startedAt < options.durationS * 1000);
  const okCount = completed.filter((record) => record.ok).length;
  const achieved = okCount / options.durationS;
  const capacityRps = capacitySeconds / options.durationS;
  const waits = completed.filter((record) => record.ok).map((record) => record.waitedMs);
  return {
    bench: 'keypool',
    keys: options.keys,
    key_qps: options.keyQps,
    key_rpm: options.keyRpm,
    duration_s: options.durationS,
    strategy: options.strategy,
    concurrency,
    sim_latency_ms: options.latencyMs,
    sim_jitter_ms: options.jitterMs,
    achieved_rps: round(achieved, 3),
    capacity_rps: round(capacityRps, 3),
    efficiency: round(achieved / capacityRps, 4),
    requests_ok: okCount,
    failed,
    http_429: simStats.totals.http_429,
    http_401: simStats.totals.http_401,
    lease_wait_ms_p50: round(percentile(waits, 0.5), 1),
    lease_wait_ms_p95: round(percentile(waits, 0.95), 1),
    per_key: Object.fromEntries(
      Object.entries(simStats.keys).map(([name, counts]) => [name, { ok: counts.ok, http_429: counts.http_429, http_401: counts.http_401, max_in_1s: counts.max_in_1s, max_in_60s: counts.max_in_60s }]),
    ),
    ...(revokeAt === null
      ? {}
      : {
          revoked_key: revokedKey,
          revoke_at_s: revokeAt,
          before_revoke: phase(completed, 0, revokeAt, capacity),
          after_revoke: phase(completed, revokeAt, options.durationS, capacity - keyRate),
        }),
  };
}
