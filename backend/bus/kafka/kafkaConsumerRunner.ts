// A consumer group member on Kafka, with one bound on the records in flight across all of its partitions.
// Transform mode streams records through a TransformPipeline and commits each partition's completed prefix in a
// transaction with its outputs; subscribe mode goes batch by batch (SubscribeBatches). A partition whose commit
// fails pauses alone: the member's other partitions go on at full speed (issue 11).
import type { EventEmitter } from 'node:events';
import type { Consumer, ConsumerRunConfig, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import pLimit from 'p-limit';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { BusEvents, BusRecord, Producer, Subscription, SubscriptionState } from '../bus.js';
import type { ConsumerSettings } from '../consumerSettings.js';
import type { Committable } from '../offsetTracker.js';
import { reportAssignments, type AssignmentReports } from './assignmentReports.js';
import { processRecord, type RecordOutcome } from '../processRecord.js';
import { needsRejoin, PARTITION_RETRY_MAX_MS, PARTITION_RETRY_MIN_MS, SubscribeBatches } from './subscribeBatches.js';
import type { TransactionalProducers } from './transactionalProducers.js';
import { TransformPipeline } from './transformPipeline.js';
import { groupAssigners, type Holdings } from './stickyAssigner.js';

export interface KafkaConsumerRunnerOptions<T> extends ConsumerSettings<T> {
  mode: 'subscribe' | 'transform';
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
}

export interface KafkaConsumerDeps {
  kafka: Kafka;
  /** The group's committed position of one partition ("-1" if none), read with the admin client. */
  committedOffset(group: string, topic: string, partition: number): Promise<string>;
  /** How many partitions the topic has. */
  partitionCount(topic: string): Promise<number>;
  producer: Producer;
  transactions: TransactionalProducers;
  clock: Clock;
  logger: Logger;
  events: EventEmitter<BusEvents>;
}

const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 60_000;

export class KafkaConsumerRunner<T> implements Subscription {
  private current: SubscriptionState = 'running';
  private readonly consumer: Consumer;
  /** Transform mode: the next offset each partition's last transaction committed. */
  private readonly committedNext = new Map<number, bigint>();
  /** Transform mode: partitions taken over (fenced) since the last assignment. */
  private readonly owned = new Set<number>();
  private restartDelayMs = RESTART_MIN_MS;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Partitions whose last batch failed: the wait before the next retry. */
  private readonly partitionRetryMs = new Map<number, number>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /** Transform mode: partitions paused after a failed commit, until their retry seeks them back. */
  private readonly retryingPartitions = new Set<number>();
  private assignments: AssignmentReports | null = null;
  /** One bound for all partitions: a slow record holds a worker, never another partition's records. */
  private readonly limit: ReturnType<typeof pLimit>;
  /** Transform mode: set when a heartbeat says the group is rebalancing, so kafkajs rejoins; cleared on join. */
  private rejoin: unknown = null;
  /** Subscribe mode's batch-by-batch processing; null in transform mode. */
  private readonly batches: SubscribeBatches | null;
  /** Transform mode: records in flight across batches (see TransformPipeline); null in subscribe mode. */
  private readonly pipeline: TransformPipeline | null;
  /** Transform mode: the next offset of each partition not yet handed to the pipeline. */
  private readonly handedOver = new Map<number, bigint>();
  /** This member's partitions since its last join, named at the next join so that the leader keeps them here. */
  private held: Holdings = {};

  constructor(
    private readonly options: KafkaConsumerRunnerOptions<T>,
    private readonly deps: KafkaConsumerDeps,
  ) {
    this.limit = pLimit(options.concurrency);
    this.pipeline =
      options.mode === 'transform'
        ? new TransformPipeline(
            {
              limit: this.limit,
              process: (partition, message, signal) => this.processMessage(partition, message, signal),
              commit: (partition, ready) => this.commitTransformed(partition, ready),
              commitPastMarkers: (partition, nextOffset) => this.commitPastMarkers(partition, nextOffset, null),
              onFailure: (partition, error) => this.retryTransformLater(partition, error),
            },
            Math.max(2 * options.concurrency, options.concurrency + 50),
          )
        : null;
    this.batches =
      options.mode === 'subscribe'
        ? new SubscribeBatches({
            group: options.group,
            topic: options.topic,
            deps,
            limit: this.limit,
            heartbeatIntervalMs: this.heartbeatIntervalMs(),
            process: (partition, message) => this.processMessage(partition, message, new AbortController().signal),
            running: () => this.current === 'running',
            retryTimers: this.retryTimers,
          })
        : null;
    this.consumer = deps.kafka.consumer({
      groupId: options.group,
      sessionTimeout: options.sessionTimeoutMs,
      rebalanceTimeout: options.rebalanceTimeoutMs,
      heartbeatInterval: this.heartbeatIntervalMs(),
      // kafkajs heartbeats between fetches, and an idle fetch waits this long at the broker: well inside the session.
      maxWaitTimeInMs: Math.min(5000, Math.floor(options.sessionTimeoutMs / 4)),
      readUncommitted: false,
      allowAutoTopicCreation: false,
      partitionAssigners: groupAssigners(() => this.held),
    });
  }

  private heartbeatIntervalMs(): number {
    return Math.min(3000, Math.floor(this.options.sessionTimeoutMs / 3));
  }

  get state(): SubscriptionState {
    return this.current;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.options.topic], fromBeginning: this.options.startAt === 'earliest' });
    if (this.options.mode === 'transform') {
      this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => this.keepAssigned(new Set(payload.memberAssignment[this.options.topic] ?? [])));
      // kafkajs skips eachBatch for batches that hold only transaction markers; move the position past them.
      this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        // Such a batch was fetched at the partition's position, so everything before it is done and committed.
        if (payload.batchSize === 0 && payload.firstOffset !== null && this.pipeline?.idle(payload.partition) !== false) {
          void this.commitPastMarkers(payload.partition, BigInt(payload.lastOffset) + 1n, BigInt(payload.firstOffset));
        }
      });
    }
    this.assignments = reportAssignments(this.consumer, this.options.topic, { ...this.deps, onAssignment: this.options.onAssignment, holdMs: this.options.sessionTimeoutMs - this.heartbeatIntervalMs() });
    // kafkajs restarts a consumer after retriable failures only; anything else would leave this stage silently idle.
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.restartAfterCrash(payload.error);
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.held = payload.memberAssignment;
      this.restartDelayMs = RESTART_MIN_MS;
      this.rejoin = null;
      this.batches?.joined();
    });
    await this.consumer.run(this.runConfig());
  }

  private runConfig(): ConsumerRunConfig {
    return {
      // Transform positions move only inside transactions: a consumer commit racing a transaction's offset
      // commit could move a partition back and repeat committed work (seen as duplicates under SIGKILL).
      autoCommit: this.options.mode === 'subscribe',
      eachBatchAutoResolve: false,
      // Enough partitions at once that the records in flight can come from all of them (a partition's next batch
      // waits for its current one), few enough that an idle member does not hold dozens of fetch workers.
      partitionsConsumedConcurrently: Math.min(64, Math.max(4, this.options.concurrency)),
      eachBatch: (payload) => (this.pipeline ? this.eachTransformBatch(payload, this.pipeline) : this.batches!.eachBatch(payload)),
    };
  }

  private restartAfterCrash(error: Error): void {
    if (this.current === 'stopped') return;
    const delayMs = this.restartDelayMs;
    this.restartDelayMs = Math.min(delayMs * 2, RESTART_MAX_MS);
    this.deps.logger.error({ err: error, retry_in_ms: delayMs }, 'consumer stopped on an error kafkajs does not retry; starting it again');
    this.deps.events.emit('consumer_restarted', { group: this.options.group, topic: this.options.topic, retryInMs: delayMs, error: error.message });
    this.restartTimer = setTimeout(() => {
      if (this.current === 'stopped') return;
      (async () => {
        await this.consumer.connect();
        await this.consumer.run(this.runConfig());
        if (this.current === 'paused') this.consumer.pause([{ topic: this.options.topic }]);
      })().catch((restartError: unknown) => this.restartAfterCrash(restartError instanceof Error ? restartError : new Error(String(restartError))));
    }, delayMs);
  }

  pause(): void {
    if (this.current !== 'running') return;
    this.consumer.pause([{ topic: this.options.topic }]);
    this.current = 'paused';
  }

  resume(): void {
    if (this.current !== 'paused') return;
    this.consumer.resume([{ topic: this.options.topic }]);
    this.current = 'running';
  }

  /** Records in flight finish and commit (within `timeoutMs`), then the member leaves the group. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.current === 'stopped') return;
    this.current = 'stopped';
    clearTimeout(this.restartTimer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    const stopAt = Date.now() + timeoutMs;
    this.pipeline?.stop();
    await this.pipeline?.drain(timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(1000, stopAt - Date.now()))));
    await Promise.race([this.consumer.disconnect(), deadline]);
    clearTimeout(timer);
    this.assignments?.stopped();
  }

  /** Hands the batch to the pipeline and returns at once (unless the member holds all it may), so kafkajs fetches on. */
  private async eachTransformBatch({ batch, resolveOffset, heartbeat, isStale }: EachBatchPayload, pipeline: TransformPipeline): Promise<void> {
    const { partition } = batch;
    // A failed partition is read again from its position once its retry seeks there; until then nothing of it.
    if (this.current === 'stopped' || isStale() || this.retryingPartitions.has(partition)) return;
    let floor: bigint;
    try {
      floor = await this.takeOver(partition);
    } catch (error) {
      if (needsRejoin(error)) throw error;
      return this.retryTransformLater(partition, error);
    }
    const from = this.handedOver.get(partition) ?? floor;
    const messages = batch.messages.filter((message) => BigInt(message.offset) >= from);
    const fetchedEnd = BigInt(batch.lastOffset()) + 1n;
    this.handedOver.set(partition, fetchedEnd > from ? fetchedEnd : from);
    pipeline.add(partition, messages, fetchedEnd);
    resolveOffset(batch.lastOffset());
    if (messages.length === 0 && pipeline.idle(partition)) await this.commitPastMarkers(partition, fetchedEnd, null);
    await pipeline.room(async () => {
      try {
        await heartbeat();
        return true;
      } catch (error) {
        if (needsRejoin(error)) this.rejoin ??= error;
        return false;
      }
    }, this.heartbeatIntervalMs());
    if (this.rejoin !== null) throw this.rejoin;
  }

  /**
   * After a rebalance: partitions that moved away drop their work uncommitted (their new owner fences them and
   * redoes it). One this member kept had no other owner meanwhile (eager rebalancing revokes before it assigns),
   * so its work in flight goes on and commits, and what kafkajs fetches again from the committed position is
   * skipped up to what the pipeline already holds.
   */
  private keepAssigned(assigned: ReadonlySet<number>): void {
    for (const partition of [...this.owned]) if (!assigned.has(partition)) this.owned.delete(partition);
    for (const partition of [...this.handedOver.keys()]) if (!assigned.has(partition)) this.handedOver.delete(partition);
    for (const partition of this.pipeline?.held() ?? []) if (!assigned.has(partition)) this.pipeline?.reset(partition);
  }

  private async processMessage(partition: number, message: KafkaMessage, signal: AbortSignal): Promise<RecordOutcome> {
    const record: BusRecord = { topic: this.options.topic, partition, offset: message.offset, key: message.key, value: message.value, timestampMs: Number(message.timestamp) };
    const outcome = await processRecord(record, { ...this.options, clock: this.deps.clock }, signal);
    // Dropped work: its outcome (a dead letter of the abort, say) is never committed, so it is not reported either.
    if (signal.aborted) return outcome;
    if (outcome.deadLetter) {
      // The child logger already names the bus stage, group (the consuming stage) and topic.
      this.deps.logger.warn({ partition, offset: record.offset, ...outcome.deadLetter }, 'message sent to the dlq');
      this.deps.events.emit('dead_letter', { stage: this.options.stage, topic: record.topic, partition, offset: record.offset, ...outcome.deadLetter });
    }
    if (outcome.skipped) {
      this.deps.logger.warn({ partition, offset: record.offset, ...outcome.skipped }, 'unreadable message skipped (a view: the stage owning the topic dead-letters it)');
      this.deps.events.emit('skipped', { stage: this.options.stage, topic: record.topic, partition, offset: record.offset, ...outcome.skipped });
    }
    return outcome;
  }

  private async commitTransformed(partition: number, ready: Committable<RecordOutcome>): Promise<void> {
    await this.commit(partition, ready);
    this.partitionRetryMs.delete(partition);
    this.deps.events.emit('processed', { group: this.options.group, topic: this.options.topic, count: ready.results.length });
  }

  /** A transaction failed: the partition pauses, then is read again from its committed position (fenced anew). */
  private retryTransformLater(partition: number, error: unknown): void {
    this.owned.delete(partition);
    this.handedOver.delete(partition);
    this.pipeline?.reset(partition);
    if (this.retryingPartitions.has(partition) || this.current === 'stopped') return;
    this.retryingPartitions.add(partition);
    const delayMs = this.partitionRetryMs.get(partition) ?? PARTITION_RETRY_MIN_MS;
    this.partitionRetryMs.set(partition, Math.min(delayMs * 2, PARTITION_RETRY_MAX_MS));
    this.deps.logger.warn({ err: error, partition, retry_in_ms: delayMs }, 'commit failed; the partition is read again from its committed position');
    this.deps.events.emit('batch_failed', { group: this.options.group, topic: this.options.topic, partition, retryInMs: delayMs, error: error instanceof Error ? error.message : String(error) });
    const topicPartition = [{ topic: this.options.topic, partitions: [partition] }];
    this.consumer.pause(topicPartition);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.retryingPartitions.delete(partition);
      if (this.current === 'stopped') return;
      const committed = this.committedNext.get(partition);
      if (committed !== undefined) this.consumer.seek({ topic: this.options.topic, partition, offset: String(committed) });
      if (this.current === 'running') this.consumer.resume(topicPartition);
    }, delayMs);
    this.retryTimers.add(timer);
  }

  /** Fences the partition's transactional id once per assignment and returns its stable committed position. */
  private async takeOver(partition: number): Promise<bigint> {
    if (!this.owned.has(partition)) {
      await this.deps.transactions.fence(this.options.group, this.options.topic, partition);
      const committed = BigInt(await this.deps.committedOffset(this.options.group, this.options.topic, partition));
      this.committedNext.set(partition, committed < 0n ? 0n : committed);
      this.owned.add(partition);
    }
    return this.committedNext.get(partition) ?? 0n;
  }

  /** Transform mode: commits the position past trailing transaction markers, so a caught-up group shows lag 0. */
  private async commitPastMarkers(partition: number, nextOffset: bigint, fetchedFrom: bigint | null): Promise<void> {
    // Checked when the transaction's turn comes: a data commit queued before it may already have gone further.
    const wanted = (): boolean => {
      const committed = this.committedNext.get(partition) ?? fetchedFrom;
      return committed !== null && nextOffset > committed;
    };
    try {
      await this.deps.transactions.commit({ group: this.options.group, topic: this.options.topic, partition, nextOffset: String(nextOffset), outputs: [] }, wanted);
      if (wanted()) this.committedNext.set(partition, nextOffset);
    } catch (error) {
      this.deps.logger.warn({ err: error, partition }, 'could not move the position past transaction markers; lag may show 1 until the next batch');
    }
  }

  private async commit(partition: number, ready: Committable<RecordOutcome>): Promise<void> {
    const outputs = ready.results.flatMap((result) => result.outputs);
    await this.deps.transactions.commit({ group: this.options.group, topic: this.options.topic, partition, nextOffset: String(ready.lastOffset + 1n), outputs });
    this.committedNext.set(partition, ready.lastOffset + 1n);
  }
}
