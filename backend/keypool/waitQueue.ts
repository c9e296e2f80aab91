// Requests waiting for a key: highest priority first, first come first served within a priority, and aging so
// a low-priority request is not starved by a steady stream of high-priority ones.

export interface Waiter {
  priority: number;
  enqueuedAt: number;
  deadlineAt: number;
  tokens: number;
}

export class WaitQueue<W extends Waiter> {
  private readonly items: W[] = [];

  /** @param agingMs waiting this long raises a request by one priority level. */
  constructor(private readonly agingMs: number) {}

  get size(): number {
    return this.items.length;
  }

  push(waiter: W): void {
    this.items.push(waiter);
  }

  remove(waiter: W): boolean {
    const index = this.items.indexOf(waiter);
    if (index < 0) return false;
    this.items.splice(index, 1);
    return true;
  }

  private rank(waiter: W, now: number): number {
    return waiter.priority + (now - waiter.enqueuedAt) / this.agingMs;
  }

  /** The waiter to serve next; ties go to the earlier arrival (items are in arrival order). */
  peek(now: number): W | undefined {
    let best: W | undefined;
    let bestRank = Number.NEGATIVE_INFINITY;
    for (const waiter of this.items) {
      const rank = this.rank(waiter, now);
      if (rank > bestRank) {
        best = waiter;
        bestRank = rank;
      }
    }
    return best;
  }

  /** All waiters in serving order (a snapshot: safe to remove from the queue while iterating it). */
  ordered(now: number): W[] {
    return this.items
      .map((waiter, index) => ({ waiter, index, rank: this.rank(waiter, now) }))
      .sort((a, b) => b.rank - a.rank || a.index - b.index)
      .map((entry) => entry.waiter);
  }

  /** Removes and returns every waiter whose deadline has passed. */
  takeExpired(now: number): W[] {
    const expired = this.items.filter((waiter) => waiter.deadlineAt <= now);
    for (const waiter of expired) this.remove(waiter);
    return expired;
  }

  earliestDeadline(): number {
    return this.items.reduce((earliest, waiter) => Math.min(earliest, waiter.deadlineAt), Number.POSITIVE_INFINITY);
  }
}
