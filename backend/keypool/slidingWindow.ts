// An exact sliding-window log: at most `limit` units in any window of `windowMs`, measured on grant times.

/** Handle of one recorded entry, for correcting its amount later (actual tokens vs the estimate). */
export type EntryHandle = number;

export class SlidingWindow {
  private readonly times: number[] = [];
  private readonly amounts: number[] = [];
  /** Absolute sequence number of times[0]; handles stay valid across compaction. */
  private baseSeq = 0;
  private head = 0;
  private total = 0;

  constructor(
    public limit: number,
    public windowMs: number,
  ) {}

  /** An entry recorded at t counts while now < t + windowMs. */
  private evict(now: number): void {
    while (this.head < this.times.length && this.times[this.head]! + this.windowMs <= now) {
      this.total -= this.amounts[this.head]!;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.amounts.splice(0, this.head);
      this.baseSeq += this.head;
      this.head = 0;
    }
  }

  used(now: number): number {
    this.evict(now);
    return this.total;
  }

  /** Earliest time ≥ now at which `amount` more fits; Infinity if it can never fit. */
  earliestAt(now: number, amount = 1): number {
    this.evict(now);
    if (this.total + amount <= this.limit) return now;
    if (amount > this.limit) return Number.POSITIVE_INFINITY;
    let excess = this.total + amount - this.limit;
    let index = this.head;
    while (excess > 0 && index < this.times.length) {
      excess -= this.amounts[index]!;
      index += 1;
    }
    return this.times[index - 1]! + this.windowMs;
  }

  record(now: number, amount = 1): EntryHandle {
    this.times.push(now);
    this.amounts.push(amount);
    this.total += amount;
    return this.baseSeq + this.times.length - 1;
  }

  /** Replaces an entry's amount if it is still in the log (it counts against the window it was granted in). */
  adjust(handle: EntryHandle, amount: number): void {
    const index = handle - this.baseSeq;
    if (index < this.head || index >= this.times.length) return;
    this.total += amount - this.amounts[index]!;
    this.amounts[index] = amount;
  }
}
