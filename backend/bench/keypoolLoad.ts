// One instance's load in `tcr bench keypool`: a key pool owning some assessment-tasks partitions, driven by more
// concurrent requests than its share of the keys can serve, against llm-sim over HTTP, for a fixed window of time.
import { setMaxListeners } from 'node:events';
import { createLlmClient } from '../assess/llmClient.js';
import { apiKeysConfigSchema, type ApiKeysConfig } from '../config/index.js';
import { systemClock } from '../core/clock.js';
import { executeWithPool } from '../keypool/executeWithPool.js';
import { createKeyPool } from '../keypool/keyPool.js';
import { simApiKey, simKeyName } from '../llmsim/simKeys.js';

export interface KeypoolLoadOptions {
  simUrl: string;
  keys: number;
  keyQps: number;
  keyRpm: number;
  strategy: ApiKeysConfig['strategy'];
  /** The key file's slot_jitter_budget_ms (the same in every instance). */
  slotJitterBudgetMs: number;
  /** The partitions this instance owns, out of `partitions`. */
  owned: number[];
  partitions: number;
  concurrency: number;
  /** Epoch ms at which every instance starts, so their windows line up. */
  startAtMs: number;
  durationS: number;
}

export interface RequestRecord {
  /** When the request's (last) lease was granted, ms after the start; failures: when the worker gave up. */
  startedAt: number;
  ok: boolean;
  waitedMs: number;
  /** Request issued → result, including waits for leases and retries. */
  latencyMs: number;
}

export function benchKeysConfig(options: Pick<KeypoolLoadOptions, 'keys' | 'keyQps' | 'keyRpm' | 'strategy' | 'slotJitterBudgetMs'>): ApiKeysConfig {
  return apiKeysConfigSchema.parse({
    strategy: options.strategy,
    slot_jitter_budget_ms: options.slotJitterBudgetMs,
    allow_plaintext_keys: true,
    keys: Array.from({ length: options.keys }, (_, index) => ({
      name: simKeyName(index),
      api_key: simApiKey(simKeyName(index)),
      qps_limit: options.keyQps,
      rpm_limit: options.keyRpm,
    })),
  });
}

export async function runKeypoolLoad(options: KeypoolLoadOptions): Promise<RequestRecord[]> {
  const config = benchKeysConfig(options);
  const pool = createKeyPool(config, { ownership: { owned: new Set(options.owned), total: options.partitions } });
  const client = createLlmClient({ baseUrl: `${options.simUrl}/v1`, model: 'qwen-vl-plus', timeoutMs: 10_000, onSend: (lease) => pool.recordSend(lease), onWire: (lease) => pool.recordWrite(lease) });
  const records: RequestRecord[] = [];
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every waiting worker listens for the end of the run
  await systemClock.sleep(options.startAtMs - Date.now());
  const worker = async (id: number): Promise<void> => {
    for (let n = 0; !stop.signal.aborted; n++) {
      const issuedAt = performance.now();
      try {
        const result = await executeWithPool(
          pool,
          (lease) => client.complete(lease, { messages: [{ role: 'user', content: `bench worker ${id} request ${n}: assess the group` }] }),
          { priority: (id + n) % 10, signal: stop.signal, maxRetryPerKey: config.max_retry_per_key, maxAttempts: options.keys * (config.max_retry_per_key + 1) },
        );
        records.push({ startedAt: result.grantedAtMs - options.startAtMs, ok: true, waitedMs: result.waitedMs, latencyMs: performance.now() - issuedAt });
      } catch (error) {
        if (stop.signal.aborted) return;
        records.push({ startedAt: Date.now() - options.startAtMs, ok: false, waitedMs: 0, latencyMs: performance.now() - issuedAt });
        if (!(error instanceof Error)) throw error;
      }
    }
  };
  const workers = Array.from({ length: options.concurrency }, (_, id) => worker(id));
  await systemClock.sleep(options.startAtMs + options.durationS * 1000 - Date.now());
  stop.abort(new Error('benchmark finished'));
  await Promise.all(workers);
  pool.close();
  return records;
}
