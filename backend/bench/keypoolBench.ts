// `tcr bench keypool`: llm-sim and N key pool instances as separate processes, as a scheduler cluster runs them
// after a rebalance (the assessment-tasks partitions dealt round robin), each driven with more demand than its
// share of the keys can serve; optionally beside busy processes. Measures how much of the keys' limits the
// cluster spends, and whether the simulator ever had to answer 429.
import type { ApiKeysConfig } from '../config/index.js';
import { simKeyName } from '../llmsim/simKeys.js';
import { outputOf, startCpuBurners, startSimChild, startTcr, stopAll, type BenchChild } from './benchProcesses.js';
import type { RequestRecord } from './keypoolLoad.js';
import { percentile, round } from './percentile.js';

export interface KeypoolBenchOptions {
  keys: number;
  keyQps: number;
  keyRpm: number;
  durationS: number;
  /** Seconds run before the measured window: each key's first request per instance is cold (see SlotPacer). */
  warmupS: number;
  revokeOneAtS: number | null;
  latencyMs: number;
  jitterMs: number;
  /** Concurrent requests per instance (null: enough to saturate its share). */
  concurrency: number | null;
  strategy: ApiKeysConfig['strategy'];
  slotJitterBudgetMs: number;
  instances: number;
  partitions: number;
  /** Busy processes beside the bench, one core each. */
  cpuBurn: number;
}

interface SimStats {
  totals: { http_429: number; http_401: number };
  keys: Record<string, { ok: number; http_429: number; http_401: number; max_in_1s: number; max_in_60s: number }>;
}

/** Partitions dealt round robin, as Kafka's round-robin assignor deals them over a group's members. */
export function dealPartitions(partitions: number, instances: number): number[][] {
  return Array.from({ length: instances }, (_, instance) => Array.from({ length: partitions }, (_, p) => p).filter((p) => p % instances === instance));
}

function figuresOf(records: readonly RequestRecord[], fromS: number, durationS: number, capacityRps: number): Record<string, number | null> {
  const inWindow = records.filter((record) => record.startedAt >= fromS * 1000 && record.startedAt < (fromS + durationS) * 1000);
  const ok = inWindow.filter((record) => record.ok);
  const achieved = ok.length / durationS;
  return {
    achieved_rps: round(achieved, 3),
    capacity_rps: round(capacityRps, 3),
    efficiency: round(achieved / capacityRps, 4),
    requests_ok: ok.length,
    failed: inWindow.filter((record) => !record.ok).length,
    lease_wait_ms_p50: round(percentile(ok.map((record) => record.waitedMs), 0.5), 1),
    lease_wait_ms_p95: round(percentile(ok.map((record) => record.waitedMs), 0.95), 1),
    latency_ms_p50: round(percentile(ok.map((record) => record.latencyMs), 0.5), 1),
    latency_ms_p95: round(percentile(ok.map((record) => record.latencyMs), 0.95), 1),
  };
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
  const capacity = options.keys * keyRate;
  const ownerships = dealPartitions(options.partitions, options.instances);
  const shareOf = (owned: readonly number[]): number => owned.length / options.partitions;
  const concurrencyOf = (owned: readonly number[]): number =>
    options.concurrency ?? Math.ceil(((capacity * shareOf(owned) * (options.latencyMs + options.jitterMs)) / 1000) * 1.5) + 20;
  const burners = startCpuBurners(options.cpuBurn);
  const children: BenchChild[] = [...burners];
  try {
    const sim = await startSimChild(options);
    children.push(sim.child);
    const instances = ownerships.map((owned) =>
      startTcr([
        'bench', 'keypool-instance', '--sim-url', sim.url, '--keys', String(options.keys), '--key-qps', String(options.keyQps), '--key-rpm', String(options.keyRpm),
        '--strategy', options.strategy, '--slot-jitter-budget-ms', String(options.slotJitterBudgetMs), '--owned', owned.join(',') || 'none', '--partitions', String(options.partitions), '--concurrency', String(concurrencyOf(owned)),
        '--duration', String(options.warmupS + options.durationS),
      ]),
    );
    children.push(...instances);
    await Promise.all(instances.map((instance, index) => outputOf(instance, /^ready$/m, `bench instance ${index} to start`)));
    // Every instance starts at one moment, after they have all loaded: their windows line up.
    const startAtMs = Date.now() + 500;
    for (const instance of instances) instance.process.stdin?.end(`start ${startAtMs}\n`);
    const revokedKey = simKeyName(0);
    const measuredFromMs = startAtMs + options.warmupS * 1000;
    const revokeTimer = options.revokeOneAtS === null ? null : setTimeout(() => void fetch(`${sim.url}/admin/keys/${revokedKey}/revoke`, { method: 'POST' }), measuredFromMs - Date.now() + options.revokeOneAtS * 1000);
    const results = await Promise.all(
      instances.map(async (instance, index) => {
        // Up to its newline: the line is longer than one pipe chunk, and a chunk can end just after a record's '}'.
        const [, line] = await outputOf(instance, /^(\{"records":.*\})\n/m, `bench instance ${index}'s result`, (options.warmupS + options.durationS + 120) * 1000);
        // Times from the start of the measured window.
        return (JSON.parse(line!) as { records: RequestRecord[] }).records.map((record) => ({ ...record, startedAt: record.startedAt - options.warmupS * 1000 }));
      }),
    );
    if (revokeTimer) clearTimeout(revokeTimer);
    const simStats = (await (await fetch(`${sim.url}/stats`)).json()) as SimStats;
    const all = results.flat();
    const revokeAt = options.revokeOneAtS;
    const capacitySeconds = revokeAt === null ? capacity * options.durationS : capacity * revokeAt + (capacity - keyRate) * (options.durationS - revokeAt);
    const whole = figuresOf(all, -options.warmupS, options.warmupS + options.durationS, (capacitySeconds + capacity * options.warmupS) / (options.durationS + options.warmupS));
    return {
      bench: 'keypool',
      keys: options.keys,
      key_qps: options.keyQps,
      key_rpm: options.keyRpm,
      duration_s: options.durationS,
      warmup_s: options.warmupS,
      strategy: options.strategy,
      slot_jitter_budget_ms: options.slotJitterBudgetMs,
      instances: options.instances,
      partitions: options.partitions,
      cpu_burn: options.cpuBurn,
      sim_latency_ms: options.latencyMs,
      sim_jitter_ms: options.jitterMs,
      ...figuresOf(all, 0, options.durationS, capacitySeconds / options.durationS),
      // The warm-up included: every key's first, cold request per instance costs it a second slot.
      efficiency_with_warmup: whole.efficiency,
      // The simulator's counts cover the whole run, warm-up included.
      http_429: simStats.totals.http_429,
      http_401: simStats.totals.http_401,
      per_instance: results.map((records, index) => ({
        instance: index,
        partitions: ownerships[index]!.length,
        concurrency: concurrencyOf(ownerships[index]!),
        ...figuresOf(records, 0, options.durationS, (capacitySeconds / options.durationS) * shareOf(ownerships[index]!)),
      })),
      per_key: Object.fromEntries(
        Object.entries(simStats.keys).map(([name, counts]) => [name, { ok: counts.ok, http_429: counts.http_429, http_401: counts.http_401, max_in_1s: counts.max_in_1s, max_in_60s: counts.max_in_60s }]),
      ),
      ...(revokeAt === null
        ? {}
        : {
            revoked_key: revokedKey,
            revoke_at_s: revokeAt,
            before_revoke: phase(all, 0, revokeAt, capacity),
            after_revoke: phase(all, revokeAt, options.durationS, capacity - keyRate),
          }),
    };
  } finally {
    await stopAll(children.filter((child) => !burners.includes(child)));
    await stopAll(burners, 'SIGKILL');
  }
}
