// Transform mode on Kafka: records flow through the stage continuously instead of batch by batch. kafkajs waits for
// every batch of a fetch before it fetches again, so one slow record (an LLM call) would hold back every partition;
// here a batch is handed over and its offsets resolved at once, and each partition's contiguous completed prefix
// is committed (with its outputs, in one transaction) as it grows. What a member holds is bounded by `maxBuffered`.
import type { KafkaMessage } from 'kafkajs';
import type pLimit from 'p-limit';
import { OffsetTracker, type Committable } from '../offsetTracker.js';
import type { RecordOutcome } from '../processRecord.js';

export interface PipelineDeps {
  limit: ReturnType<typeof pLimit>;
  /** `signal` aborts when the outcome will not be committed (the partition was reset). */
  process(partition: number, message: KafkaMessage, signal: AbortSignal): Promise<RecordOutcome>;
  /** Commits a partition's completed prefix; rejects when the transaction failed. */
  commit(partition: number, ready: Committable<RecordOutcome>): Promise<void>;
  /** Moves a partition's position past trailing transaction markers once nothing of it is in flight. */
  commitPastMarkers(partition: number, nextOffset: bigint): Promise<void>;
  /** A commit failed: the partition's unfinished work is dropped and it must be read again from its position. */
  onFailure(partition: number, error: unknown): void;
}

interface PartitionWork {
  tracker: OffsetTracker<RecordOutcome>;
  committing: Promise<void>;
  /** One past the last offset fetched (the position once everything is committed). */
  fetchedEnd: bigint;
  failed: boolean;
  /** Aborted with the work: records still running may stop early. */
  readonly aborter: AbortController;
}

export class TransformPipeline {
  private readonly partitions = new Map<number, PartitionWork>();
  private readonly waiters = new Set<() => void>();
  private started = 0;
  private finished = 0;
  private stopping = false;

  constructor(
    private readonly deps: PipelineDeps,
    readonly maxBuffered: number,
  ) {}

  /** Records handed over and not yet processed, over all partitions. */
  buffered(): number {
    return this.started - this.finished;
  }

  /** True when nothing of the partition is in flight or waiting for its commit. */
  idle(partition: number): boolean {
    const work = this.partitions.get(partition);
    return work === undefined || work.tracker.size === 0;
  }

  /** After a failure or when the partition moved away: what is in flight for it is dropped, never committed. */
  reset(partition: number): void {
    const work = this.partitions.get(partition);
    if (work) this.drop(partition, work);
  }

  /** Partitions with work here. */
  held(): number[] {
    return [...this.partitions.keys()];
  }

  private drop(partition: number, work: PartitionWork): void {
    work.failed = true;
    work.aborter.abort();
    if (this.partitions.get(partition) === work) this.partitions.delete(partition);
    this.wake();
  }

  /** No record starts any more (a stop drains what is in flight). */
  stop(): void {
    this.stopping = true;
    this.wake();
  }

  add(partition: number, messages: readonly KafkaMessage[], fetchedEnd: bigint): void {
    let work = this.partitions.get(partition);
    if (!work) {
      work = { tracker: new OffsetTracker(), committing: Promise.resolve(), fetchedEnd, failed: false, aborter: new AbortController() };
      this.partitions.set(partition, work);
    }
    const current = work;
    current.fetchedEnd = fetchedEnd > current.fetchedEnd ? fetchedEnd : current.fetchedEnd;
    for (const message of messages) {
      current.tracker.start(BigInt(message.offset));
      this.started += 1;
      void this.deps.limit(async () => {
        try {
          if (current.failed || this.stopping) return;
          const outcome = await this.deps.process(partition, message, current.aborter.signal);
          if (current.failed) return;
          current.tracker.complete(BigInt(message.offset), outcome);
          current.committing = current.committing.then(() => this.commitReady(partition, current));
        } finally {
          this.finished += 1;
          this.wake();
        }
      });
    }
  }

  /** Resolves once fewer than maxBuffered records are held (or the pipeline stops); `beat` runs while waiting. */
  async room(beat: () => Promise<boolean>, heartbeatMs: number): Promise<void> {
    while (this.buffered() >= this.maxBuffered && !this.stopping) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, heartbeatMs);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
      if (!(await beat())) return;
    }
  }

  /** Waits until every started record has finished and its commit has run, or the time is up. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffered() > 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(1, deadline - Date.now()));
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
    await Promise.all([...this.partitions.values()].map((work) => work.committing));
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
  }

  private async commitReady(partition: number, work: PartitionWork): Promise<void> {
    const ready = work.tracker.committable();
    if (!ready || work.failed) return;
    try {
      await this.deps.commit(partition, ready);
      work.tracker.release(ready.lastOffset);
      if (work.tracker.size === 0 && !work.failed) await this.deps.commitPastMarkers(partition, work.fetchedEnd);
    } catch (error) {
      if (work.failed) return;
      this.drop(partition, work);
      this.deps.onFailure(partition, error);
    }
  }
}
