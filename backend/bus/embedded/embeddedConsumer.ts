// A consumer group member on the embedded log: fetches in order, processes up to `concurrency` records at once,
// and commits the contiguous completed prefix together with its outputs (exactly once within the file).
import type { EventEmitter } from 'node:events';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { Wakeup } from '../../core/wakeup.js';
import type { BusEvents, BusRecord, Subscription, SubscriptionState } from '../bus.js';
import type { ConsumerSettings } from '../consumerSettings.js';
import { OffsetTracker } from '../offsetTracker.js';
import { processRecord, type RecordOutcome } from '../processRecord.js';
import type { EmbeddedStore, StoredRecord } from './embeddedStore.js';

export interface EmbeddedConsumerOptions<T> extends ConsumerSettings<T> {
  pollMs: number;
  onStopped(): void;
}

export class EmbeddedConsumer<T> implements Subscription {
  private current: SubscriptionState = 'running';
  private readonly tracker = new OffsetTracker<RecordOutcome>();
  private readonly wakeup = new Wakeup();
  private readonly idle = new Wakeup();
  private fetchedUpTo: number;
  private loopDone: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: EmbeddedStore,
    private readonly options: EmbeddedConsumerOptions<T>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly events: EventEmitter<BusEvents>,
  ) {
    this.fetchedUpTo = store.committed(options.group, options.topic) ?? (options.startAt === 'latest' ? store.lastId(options.topic) : 0);
  }

  get state(): SubscriptionState {
    return this.current;
  }

  start(): void {
    // One file, one partition: this member consumes all of it.
    this.options.onAssignment({ partitions: [0], total: 1 });
    this.loopDone = this.loop();
  }

  /** Called when a producer in this process appended to the topic. */
  notify(): void {
    this.wakeup.notify();
  }

  pause(): void {
    if (this.current === 'running') this.current = 'paused';
  }

  resume(): void {
    if (this.current !== 'paused') return;
    this.current = 'running';
    this.wakeup.notify();
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.current === 'stopped') return;
    this.current = 'stopped';
    this.wakeup.notify();
    await this.loopDone;
    const deadline = Date.now() + timeoutMs;
    while (this.tracker.inFlight > 0 && Date.now() < deadline) await this.idle.wait(Math.max(1, deadline - Date.now()));
    // What did not finish is abandoned uncommitted: it is delivered again after a restart.
    this.flush();
    this.options.onAssignment({ partitions: [], total: 1 });
    this.options.onStopped();
  }

  private async loop(): Promise<void> {
    while (this.current !== 'stopped') {
      if (this.current === 'paused' || this.tracker.inFlight >= this.options.concurrency) {
        await this.wakeup.wait(this.options.pollMs);
        continue;
      }
      let rows: StoredRecord[];
      try {
        rows = this.store.read(this.options.topic, this.fetchedUpTo, this.options.concurrency - this.tracker.inFlight);
      } catch (error) {
        this.logger.error({ err: error, topic: this.options.topic }, 'embedded bus read failed, retrying');
        await this.wakeup.wait(1000);
        continue;
      }
      if (rows.length === 0) {
        await this.wakeup.wait(this.options.pollMs);
        continue;
      }
      for (const row of rows) {
        this.fetchedUpTo = row.id;
        this.tracker.start(BigInt(row.id));
        void this.process(row);
      }
    }
  }

  private async process(row: StoredRecord): Promise<void> {
    const record: BusRecord = { topic: this.options.topic, partition: 0, offset: String(row.id), key: row.key, value: row.value, timestampMs: row.ts };
    const outcome = await processRecord(record, { ...this.options, clock: this.clock });
    if (outcome.deadLetter) {
      // The child logger already names the bus stage, group (the consuming stage) and topic.
      this.logger.warn({ offset: record.offset, ...outcome.deadLetter }, 'message sent to the dlq');
      this.events.emit('dead_letter', { stage: this.options.stage, topic: record.topic, partition: 0, offset: record.offset, ...outcome.deadLetter });
    }
    if (outcome.skipped) {
      this.logger.warn({ offset: record.offset, ...outcome.skipped }, 'unreadable message skipped (a view: the stage owning the topic dead-letters it)');
      this.events.emit('skipped', { stage: this.options.stage, topic: record.topic, partition: 0, offset: record.offset, ...outcome.skipped });
    }
    this.tracker.complete(BigInt(row.id), outcome);
    this.flush();
    this.wakeup.notify();
    this.idle.notify();
  }

  private flush(): void {
    const ready = this.tracker.committable();
    if (!ready) return;
    try {
      this.store.commit(this.options.group, this.options.topic, Number(ready.lastOffset), ready.results.flatMap((result) => result.outputs), this.clock.now());
    } catch (error) {
      // Kept in the tracker: the next completion (or stop) tries the commit again; nothing is lost or skipped.
      this.logger.error({ err: error, group: this.options.group, topic: this.options.topic }, 'embedded bus commit failed');
      return;
    }
    this.tracker.release(ready.lastOffset);
    this.events.emit('processed', { group: this.options.group, topic: this.options.topic, count: ready.results.length });
  }
}
