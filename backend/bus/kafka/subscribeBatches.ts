// Subscribe mode on Kafka (at least once): each batch is processed within the member's bound on records in flight,
// its completed prefix resolved as it grows once its dead letters are sent, and kafkajs auto-commits what is
// resolved. A batch that fails pauses only its own partition (issue 11).
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type pLimit from 'p-limit';
import type { BusOutput } from '../bus.js';
import { OffsetTracker, type Committable } from '../offsetTracker.js';
import type { RecordOutcome } from '../processRecord.js';
import type { KafkaConsumerDeps } from './kafkaConsumerRunner.js';

/** A failed partition waits this long before it is fetched again, doubling while it keeps failing. */
export const PARTITION_RETRY_MIN_MS = 200;
export const PARTITION_RETRY_MAX_MS = 30_000;

/** Group errors kafkajs answers by re-joining; they must reach it as they are. */
const REJOIN_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

export function needsRejoin(error: unknown): boolean {
  return REJOIN_ERRORS.has((error as { type?: string } | null)?.type ?? '');
}

export interface SubscribeContext {
  group: string;
  topic: string;
  deps: Pick<KafkaConsumerDeps, 'logger' | 'events' | 'producer'>;
  limit: ReturnType<typeof pLimit>;
  heartbeatIntervalMs: number;
  process(partition: number, message: KafkaMessage): Promise<RecordOutcome>;
  running(): boolean;
  retryTimers: Set<NodeJS.Timeout>;
}

export class SubscribeBatches {
  /** Partitions whose last batch failed: the wait before the next retry. */
  private readonly partitionRetryMs = new Map<number, number>();
  /** Set when a heartbeat says the group is rebalancing: no record starts, kafkajs rejoins after the batch. */
  private rejoin: unknown = null;

  constructor(private readonly context: SubscribeContext) {}

  /** The group was joined again. */
  joined(): void {
    this.rejoin = null;
  }

  async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { partition } = payload.batch;
    try {
      await this.processBatch(payload);
      this.partitionRetryMs.delete(partition);
    } catch (error) {
      if (needsRejoin(error)) throw error;
      this.retryPartitionLater(payload, error);
    }
  }

  /**
   * Thrown, the error would make kafkajs restart the whole consumer's fetch loop with backoff, and every other
   * partition would wait with it (over 10 s per message, seen in issue 11). Instead only this partition pauses;
   * kafkajs fetches it again from its last resolved offset once it resumes.
   */
  private retryPartitionLater({ batch, pause }: EachBatchPayload, error: unknown): void {
    const { deps, group, topic } = this.context;
    const delayMs = this.partitionRetryMs.get(batch.partition) ?? PARTITION_RETRY_MIN_MS;
    this.partitionRetryMs.set(batch.partition, Math.min(delayMs * 2, PARTITION_RETRY_MAX_MS));
    deps.logger.warn({ err: error, partition: batch.partition, retry_in_ms: delayMs }, 'batch failed; its partition is fetched again from the last committed position');
    deps.events.emit('batch_failed', { group, topic, partition: batch.partition, retryInMs: delayMs, error: error instanceof Error ? error.message : String(error) });
    const resume = pause();
    const timer = setTimeout(() => {
      this.context.retryTimers.delete(timer);
      // While the whole subscription is paused, its resume() resumes this partition too.
      if (this.context.running()) resume();
    }, delayMs);
    this.context.retryTimers.add(timer);
  }

  private async processBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const tracker = new OffsetTracker<RecordOutcome>();
    let commitFailure: unknown = null;
    let committing: Promise<void> = Promise.resolve();
    const beat = async (): Promise<void> => {
      try {
        await heartbeat();
      } catch (error) {
        if (needsRejoin(error)) this.rejoin ??= error;
        else commitFailure ??= error;
      }
    };
    const commitReady = async (): Promise<void> => {
      const ready = tracker.committable();
      if (!ready || commitFailure !== null || isStale()) return;
      try {
        await this.sendDeadLetters(ready);
        tracker.release(ready.lastOffset);
        resolveOffset(String(ready.lastOffset));
        this.context.deps.events.emit('processed', { group: this.context.group, topic: this.context.topic, count: ready.results.length });
      } catch (error) {
        commitFailure = error;
        return;
      }
      await beat();
    };
    const abandoned = (): boolean => !isRunning() || isStale() || commitFailure !== null || this.rejoin !== null;
    for (const message of batch.messages) tracker.start(BigInt(message.offset));
    // kafkajs heartbeats only between batches and when asked: a batch whose first record waits long would
    // otherwise let the session expire and lose the partitions mid-work.
    const beating = setInterval(() => void beat(), this.context.heartbeatIntervalMs);
    try {
      await Promise.all(
        batch.messages.map((message) =>
          this.context.limit(async () => {
            if (abandoned()) return;
            tracker.complete(BigInt(message.offset), await this.context.process(batch.partition, message));
            committing = committing.then(commitReady);
          }),
        ),
      );
      await committing;
    } finally {
      clearInterval(beating);
    }
    // Thrown, kafkajs fetches again from the last resolved offset: nothing committed is repeated or skipped.
    if (commitFailure !== null) throw commitFailure;
    if (this.rejoin !== null && tracker.size > 0) throw this.rejoin;
  }

  /** At least once: dead letters are written before the position moves past their originals. */
  private async sendDeadLetters(ready: Committable<RecordOutcome>): Promise<void> {
    const byTopic = new Map<string, BusOutput[]>();
    for (const output of ready.results.flatMap((result) => result.outputs)) byTopic.set(output.topic, [...(byTopic.get(output.topic) ?? []), output]);
    for (const [topic, messages] of byTopic) await this.context.deps.producer.send(topic, messages);
  }
}
