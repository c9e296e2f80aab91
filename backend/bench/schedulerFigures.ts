// The figures of `tcr bench scheduler`, from what became of each task and what the simulator counted.
import { failoverWindow, partitionMoves, throughputBetweenPercentiles } from './failoverWindow.js';
import { SLOTS_PER_BLOCK, slotSpacingMs } from '../keypool/slotGrid.js';
import { percentile, round } from './percentile.js';
import { perSecond } from './perSecond.js';
import type { SchedulerBenchOptions } from './schedulerBench.js';
import type { TaskOutcome } from './taskOutcomes.js';

export interface ShareSample {
  atMs: number;
  /** Instance id → partitions its key pool reports owning (null: not running or not answering). */
  owned: Record<string, number[] | null>;
  /** Instance id → requests its key pool has granted since the process started (null: not answering). */
  requests: Record<string, number | null>;
}

export interface SchedulerRun {
  options: SchedulerBenchOptions;
  rate: number;
  enqueued: ReadonlyMap<string, { atMs: number; partition: number }>;
  outcomes: ReadonlyMap<string, TaskOutcome[]>;
  unreadable: number;
  simTotals: Record<string, number>;
  /** When each request reached the simulator (epoch ms), redone and repair requests included. */
  llmArrivals: readonly number[];
  /** The simulator's refusals for a key's own limit, to set beside the kill and the rebalances. */
  rateLimited: readonly { key: string; at_ms: number }[];
  killed: { atMs: number; partitions: number[]; id: string } | null;
  shares: readonly ShareSample[];
  startedAt: number;
}

/** Requests each instance sent per second of the run, from its pool's running total (a restart counts from 0). */
function requestsPerSecond(shares: readonly ShareSample[], startedAt: number): Record<string, number[]> {
  const byInstance: Record<string, number[]> = {};
  const last: Record<string, number> = {};
  for (const sample of shares) {
    const second = Math.floor((sample.atMs - startedAt) / 1000);
    for (const [id, total] of Object.entries(sample.requests)) {
      if (total === null) continue;
      const previous = last[id] ?? total;
      last[id] = total;
      if (second < 0) continue;
      const counts = (byInstance[id] ??= []);
      while (counts.length <= second) counts.push(0);
      counts[second]! += total >= previous ? total - previous : total;
    }
  }
  return byInstance;
}

function shareOf(sample: ShareSample | undefined, partitions: number): Record<string, number> | null {
  if (!sample) return null;
  return Object.fromEntries(Object.entries(sample.owned).map(([id, owned]) => [id, round((owned?.length ?? 0) / partitions, 3)!]));
}

/** Each moment the partitions reported by the instances' pools changed: when a 429 falls beside one, it was a handover. */
function ownershipChanges(shares: readonly ShareSample[], startedAt: number): { at_s: number | null; owned: Record<string, number[] | null> }[] {
  const changes: { at_s: number | null; owned: Record<string, number[] | null> }[] = [];
  let previous = '';
  for (const sample of shares) {
    const now = JSON.stringify(sample.owned);
    if (now !== previous) changes.push({ at_s: round((sample.atMs - startedAt) / 1000, 2), owned: sample.owned });
    previous = now;
  }
  return changes;
}

interface Failover {
  figures: Record<string, unknown>;
  /** The transient the steady throughput leaves out; null when nothing was killed or nothing moved. */
  window: { fromMs: number; toMs: number } | null;
}

function failover(run: SchedulerRun): Failover | null {
  const { killed } = run;
  if (killed === null) return null;
  const orphaned = new Set(killed.partitions);
  const servedAgain = [...run.enqueued]
    .filter(([, task]) => orphaned.has(task.partition))
    .flatMap(([taskId]) => (run.outcomes.get(taskId) ?? []).map((outcome) => outcome.seenAtMs))
    .filter((at) => at > killed.atMs);
  const covered = run.shares.find((sample) => {
    if (sample.atMs <= killed.atMs) return false;
    const others = Object.entries(sample.owned).filter(([id]) => id !== killed.id).flatMap(([, owned]) => owned ?? []);
    return killed.partitions.every((partition) => others.includes(partition)) || (sample.owned[killed.id]?.length ?? 0) > 0;
  });
  const moves = partitionMoves(run.shares, killed.atMs);
  const { options } = run;
  const blockMs = SLOTS_PER_BLOCK * slotSpacingMs({ perSecond: options.keyQps, perMinute: options.keyQps * 60, jitterBudgetMs: options.slotJitterBudgetMs });
  const window = failoverWindow(killed.atMs, moves, blockMs + options.llmLatencyMs + options.llmJitterMs);
  return {
    figures: {
      instance: killed.id,
      at_s: round((killed.atMs - run.startedAt) / 1000, 1),
      partitions: killed.partitions,
      partitions_served_again_ms: servedAgain.length > 0 ? Math.min(...servedAgain) - killed.atMs : null,
      partitions_reassigned_ms: covered ? covered.atMs - killed.atMs : null,
      shares_once_reassigned: shareOf(covered, run.options.partitions),
      partitions_moved: moves.length,
      last_move_ms: moves.length === 0 ? null : Math.max(...moves.map((move) => move.atMs)) - killed.atMs,
    },
    window,
  };
}

export function schedulerFigures(run: SchedulerRun): Record<string, unknown> {
  const { options } = run;
  const capacity = options.keys * options.keyQps;
  let lost = 0;
  let duplicates = 0;
  const latencies: number[] = [];
  const seenAt: number[] = [];
  const deadLetters: Record<string, number> = {};
  let succeeded = 0;
  for (const [taskId, task] of run.enqueued) {
    const outcomes = run.outcomes.get(taskId) ?? [];
    if (outcomes.length === 0) lost++;
    if (outcomes.length > 1) duplicates++;
    const first = outcomes[0];
    if (!first) continue;
    seenAt.push(first.seenAtMs);
    if (first.kind === 'dead_letter') deadLetters[first.detail] = (deadLetters[first.detail] ?? 0) + 1;
    else if (first.detail === 'ok:llm') {
      succeeded++;
      latencies.push(first.seenAtMs - task.atMs);
    }
  }
  const failed = failover(run);
  const throughput = throughputBetweenPercentiles(seenAt, failed?.window ?? null);
  const runThroughput = throughputBetweenPercentiles(seenAt);
  const lastShare = run.shares.at(-1);
  const beforeKill = run.killed ? [...run.shares].reverse().find((sample) => sample.atMs < run.killed!.atMs) : run.shares[0];
  return {
    instances: options.instances,
    workers: options.workers,
    keys: options.keys,
    key_qps: options.keyQps,
    partitions: options.partitions,
    tasks: run.enqueued.size,
    rate_tps: round(run.rate, 2),
    capacity_tps: capacity,
    throughput_tps: round(throughput, 2),
    throughput_to_capacity: round(throughput === null ? null : throughput / capacity, 4),
    run_throughput_tps: round(runThroughput, 2),
    run_throughput_to_capacity: round(runThroughput === null ? null : runThroughput / capacity, 4),
    steady_leaves_out_s: failed?.window ? [round((failed.window.fromMs - run.startedAt) / 1000, 2), round((failed.window.toMs - run.startedAt) / 1000, 2)] : null,
    p50_ms: round(percentile(latencies, 0.5), 0),
    p95_ms: round(percentile(latencies, 0.95), 0),
    p99_ms: round(percentile(latencies, 0.99), 0),
    success_rate: round(run.enqueued.size === 0 ? null : succeeded / run.enqueued.size, 4),
    dead_letters: deadLetters,
    lost,
    duplicates,
    unreadable_outputs: run.unreadable,
    http_429: run.simTotals.http_429 ?? null,
    http_429_at: run.rateLimited.map((refusal) => ({ key: refusal.key, at_s: round((refusal.at_ms - run.startedAt) / 1000, 2) })),
    llm_requests: run.simTotals.requests ?? null,
    session_timeout_ms: options.sessionTimeoutMs,
    slot_jitter_budget_ms: options.slotJitterBudgetMs,
    killed: failed?.figures ?? null,
    shares_before_kill: shareOf(beforeKill, options.partitions),
    shares_at_end: shareOf(lastShare, options.partitions),
    ownership_changes: ownershipChanges(run.shares, run.startedAt),
    // Second n of the run holds what happened between n and n+1 s after the first task was written.
    per_second: {
      enqueued: perSecond([...run.enqueued.values()].map((task) => task.atMs), run.startedAt),
      completed: perSecond(seenAt, run.startedAt),
      llm_requests: perSecond(run.llmArrivals, run.startedAt),
      granted_by_instance: requestsPerSecond(run.shares, run.startedAt),
    },
  };
}
