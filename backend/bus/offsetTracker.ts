// Lets a partition's messages be processed concurrently while committing only the contiguous completed prefix:
// offset N is committed only when every message before it is done, so a crash never skips unfinished work.

interface Entry<R> {
  offset: bigint;
  done: boolean;
  result: R | undefined;
}

export interface Committable<R> {
  /** The last offset of the completed prefix. */
  lastOffset: bigint;
  /** Results of the prefix, in offset order. */
  results: R[];
}

export class OffsetTracker<R> {
  private readonly entries: Entry<R>[] = [];

  get inFlight(): number {
    return this.entries.filter((entry) => !entry.done).length;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Offsets must be started in increasing order (the order they were fetched). */
  start(offset: bigint): void {
    const last = this.entries[this.entries.length - 1];
    if (last && offset <= last.offset) throw new Error(`offset ${offset} started after ${last.offset}`);
    this.entries.push({ offset, done: false, result: undefined });
  }

  complete(offset: bigint, result: R): void {
    const entry = this.entries.find((candidate) => candidate.offset === offset);
    if (!entry) throw new Error(`offset ${offset} was not started`);
    entry.done = true;
    entry.result = result;
  }

  /** The completed prefix, or null when the oldest message is still in flight. Stays until `release`. */
  committable(): Committable<R> | null {
    let count = 0;
    while (count < this.entries.length && this.entries[count]!.done) count++;
    if (count === 0) return null;
    const prefix = this.entries.slice(0, count);
    return { lastOffset: prefix[prefix.length - 1]!.offset, results: prefix.map((entry) => entry.result as R) };
  }

  /** Forgets the entries up to `lastOffset` once their commit has succeeded. */
  release(lastOffset: bigint): void {
    while (this.entries.length > 0 && this.entries[0]!.offset <= lastOffset) this.entries.shift();
  }

  /** Forgets everything (a partition revoked from this consumer). */
  clear(): void {
    this.entries.length = 0;
  }
}
