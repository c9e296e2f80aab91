// The failover's transient in a scheduler bench run: from the kill until the partitions it moved (to the survivors,
// and to the killed instance again once it restarted) are all served at full rate by their new owners. The steady
// throughput leaves it out; the whole-run throughput and the failover's own figures keep it in view.
import type { ShareSample } from './schedulerFigures.js';

export interface PartitionMove {
  atMs: number;
  partition: number;
  to: string;
}

/**
 * Partitions that changed owner after `afterMs`, as the instances' pools reported them. A partition counts as owned
 * only while exactly one instance reports it (a sample can catch the old owner before it lets go), and a dead
 * instance's silence moves nothing: its partitions move when another instance reports them.
 */
export function partitionMoves(shares: readonly ShareSample[], afterMs: number): PartitionMove[] {
  const owner = new Map<number, string>();
  const moves: PartitionMove[] = [];
  for (const sample of shares) {
    const reporters = new Map<number, string[]>();
    for (const [id, owned] of Object.entries(sample.owned)) for (const partition of owned ?? []) reporters.set(partition, [...(reporters.get(partition) ?? []), id]);
    for (const [partition, ids] of reporters) {
      if (ids.length !== 1) continue;
      const [id] = ids as [string];
      const before = owner.get(partition);
      if (before === id) continue;
      owner.set(partition, id);
      if (before !== undefined && sample.atMs > afterMs) moves.push({ atMs: sample.atMs, partition, to: id });
    }
  }
  return moves;
}

/**
 * The failover's transient: from the kill until a request granted once the last moved partition had its owner has
 * completed. A new owner waits a block before it uses a gained partition's slots (its former owner may have used
 * one), and the request then takes up to the longest simulated latency; after that, every completion comes from a
 * cluster whose partitions all have a live owner. Null when nothing moved.
 */
export function failoverWindow(killedAtMs: number, moves: readonly PartitionMove[], settleMs: number): { fromMs: number; toMs: number } | null {
  if (moves.length === 0) return null;
  return { fromMs: killedAtMs, toMs: Math.max(...moves.map((move) => move.atMs)) + settleMs };
}

/**
 * Completions per second between the 5th and the 95th percentile of completions (the ramp-up and the drain left
 * out), and with `leftOut` also without the completions and the time inside it.
 */
export function throughputBetweenPercentiles(seenAt: readonly number[], leftOut: { fromMs: number; toMs: number } | null = null): number | null {
  const sorted = [...seenAt].sort((a, b) => a - b);
  const from = Math.floor(sorted.length * 0.05);
  const to = Math.ceil(sorted.length * 0.95) - 1;
  if (to <= from) return null;
  const [start, end] = [sorted[from]!, sorted[to]!];
  let intervals = to - from;
  let durationMs = end - start;
  if (leftOut !== null) {
    const [cutFrom, cutTo] = [Math.max(start, leftOut.fromMs), Math.min(end, leftOut.toMs)];
    if (cutTo > cutFrom) {
      intervals -= sorted.filter((at) => at > cutFrom && at <= cutTo).length;
      durationMs -= cutTo - cutFrom;
    }
  }
  return durationMs > 0 && intervals > 0 ? intervals / (durationMs / 1000) : null;
}
