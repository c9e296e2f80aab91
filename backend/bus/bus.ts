// The one seam between pipeline stages. Two implementations: Kafka (kafkajs) and the embedded SQLite log.
import type { EventEmitter } from 'node:events';
import type { z } from 'zod';

/**
 * A message to publish: the value is the JSON text a contracts encoder produced. Keys are bytes, as in Kafka;
 * a string key is its UTF-8 bytes.
 */
export interface BusMessage {
  key: Uint8Array | string | null;
  value: string;
}

export interface BusOutput extends BusMessage {
  topic: string;
}

/** A message as consumed, with where it came from (for the DLQ and for idempotent stores). */
export interface BusRecord {
  topic: string;
  partition: number;
  /** Decimal string: Kafka offsets are 64-bit. */
  offset: string;
  /** The key's bytes exactly as written (any bytes, not only UTF-8). */
  key: Uint8Array | null;
  /** null: a tombstone (a record without a value), which is not the same as an empty value. */
  value: Uint8Array | null;
  /** As the client reported it; another team's producer can set any value, so nothing trusts it. */
  timestampMs: number;
}

export interface Producer {
  /** Publishes in order per key; refuses a message over the size limit before anything is sent. */
  send(topic: string, messages: readonly BusMessage[]): Promise<void>;
}

/** The partitions of a topic one consumer group member consumes, out of all of them. */
export interface Assignment {
  partitions: readonly number[];
  total: number;
}

interface ConsumeOptionsBase<T> {
  /** Consumer group: members share the partitions; each group sees every message. */
  group: string;
  topic: string;
  /** Contract of the topic's messages; what fails it goes to the DLQ with the reason. */
  schema: z.ZodType<T>;
  /** Stage name written into dead letters. */
  stage: string;
  /** Messages processed at once (per consumer); the next fetch waits while this many are in flight. */
  concurrency?: number;
  /**
   * The message's event time (e.g. capture time) and its field path: one later than now plus the bus's clock-skew
   * tolerance is dead-lettered as `event_time_in_future` before the stage sees it, so it cannot poison state.
   */
  eventTime?: { path: string; of(message: T): number };
  /**
   * This member's partitions after every rebalance: its new share as soon as it has joined (partitions it keeps
   * are held through the rebalance, those it loses go at that moment); none when it has not heard from the group
   * for longer than its session less a heartbeat (it may have been expelled), and again when it stops. The
   * embedded bus owns its only partition. The scheduler hands this to the key pool (its send slots follow them).
   */
  onAssignment?(assignment: Assignment): void;
  /**
   * Where a group that never committed begins: `earliest` (default: a new stage misses nothing) or `latest` (a
   * live view, e.g. the gateway's camera wall, which has no use for an hour of old frames).
   */
  startAt?: 'earliest' | 'latest';
  /**
   * What becomes of a record the stage cannot take: `dead_letter` (default) or `skip` for a view that is not a
   * stage of the pipeline (the camera wall): the stage that owns the topic writes the record's one dead letter, the
   * view logs and counts it (`skipped`) and moves on.
   */
  unreadable?: 'dead_letter' | 'skip';
}

export interface SubscribeOptions<T> extends ConsumeOptionsBase<T> {
  /** At-least-once: the offset is committed after the handler resolves, so a crash redelivers. */
  handle(message: T, record: BusRecord): Promise<void>;
}

export interface TransformOptions<T> extends ConsumeOptionsBase<T> {
  /**
   * Outputs of one input; they and the input's offset are committed atomically (exactly once). `signal` aborts when
   * the outputs can no longer be committed here (the partition moved to another member): the work may stop early.
   */
  transform(message: T, record: BusRecord, signal: AbortSignal): Promise<BusOutput[]>;
}

export type SubscriptionState = 'running' | 'paused' | 'stopped';

export interface Subscription {
  readonly state: SubscriptionState;
  /** Stops fetching; messages in flight still finish (backpressure from a slow downstream). */
  pause(): void;
  resume(): void;
  /** Graceful: stops fetching, waits up to `timeoutMs` for in-flight work, commits what is done. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  /** Next offset the group will read (its committed position), "-1" if it never committed. */
  committed: string;
  /** Next offset to be written, excluding transaction markers a read_committed consumer never sees. */
  end: string;
  lag: number;
}

export interface BusEvents {
  /** `reduced`: the dead letter carries the original's size, hash and first bytes instead of all of it. */
  dead_letter: [{ stage: string; topic: string; partition: number; offset: string; code: string; reason: string; reduced: boolean }];
  /** A view (`unreadable: 'skip'`) passed over a record it could not read; no dead letter was written for it. */
  skipped: [{ stage: string; topic: string; partition: number; offset: string; code: string; reason: string }];
  processed: [{ group: string; topic: string; count: number }];
  /** A batch could not be committed (broker or transaction trouble): only its partition waits, then retries. */
  batch_failed: [{ group: string; topic: string; partition: number; retryInMs: number; error: string }];
  /** The client gave a consumer up and the bus started it again: every partition of it waited. */
  consumer_restarted: [{ group: string; topic: string; retryInMs: number; error: string }];
}

export interface Bus {
  readonly kind: 'kafka' | 'embedded';
  readonly events: EventEmitter<BusEvents>;
  producer(): Producer;
  subscribe<T>(options: SubscribeOptions<T>): Promise<Subscription>;
  transform<T>(options: TransformOptions<T>): Promise<Subscription>;
  lag(group: string, topic: string): Promise<PartitionLag[]>;
  close(): Promise<void>;
}
