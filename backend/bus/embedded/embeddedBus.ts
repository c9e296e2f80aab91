// The zero-setup bus: a durable single-process log in one SQLite file (WAL), with the Bus semantics of Kafka
// for one workstation: ordered topics, consumer groups with committed positions, atomic consume-transform-produce.
import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { RetryPolicy } from '../../core/retry.js';
import type { Bus, BusEvents, BusMessage, BusOutput, BusRecord, PartitionLag, Producer, SubscribeOptions, Subscription, TransformOptions } from '../bus.js';
import { consumerSettings } from '../consumerSettings.js';
import { checkMessageSize } from '../messageSize.js';
import { EmbeddedConsumer } from './embeddedConsumer.js';
import { EmbeddedStore } from './embeddedStore.js';

/** How long a send waits for others to share its transaction: a small part of the 2-s frame-to-alert budget. */
const GROUP_COMMIT_MS = 40;

export interface EmbeddedBusOptions {
  path: string;
  dlqTopic: string;
  retentionMs: number;
  maxBytes: number;
  maxMessageBytes: number;
  /** How far an event time may lie ahead of this host's clock before its message is dead-lettered. */
  maxClockSkewMs?: number;
  logger: Logger;
  clock?: Clock;
  retryPolicy?: RetryPolicy;
  /** How often idle consumers look for messages written by another process. */
  pollMs?: number;
  retentionIntervalMs?: number;
}

export function createEmbeddedBus(options: EmbeddedBusOptions): Bus {
  const clock = options.clock ?? systemClock;
  const store = new EmbeddedStore(options.path);
  const events = new EventEmitter<BusEvents>();
  const consumers = new Set<EmbeddedConsumer<unknown>>();
  const logger = options.logger;

  const sweep = (): void => {
    try {
      const deleted = store.enforceRetention(clock.now() - options.retentionMs, options.maxBytes);
      if (deleted > 0) logger.info({ deleted }, 'embedded bus retention removed old messages');
    } catch (error) {
      logger.error({ err: error }, 'embedded bus retention failed');
    }
  };
  sweep();
  const sweeper = setInterval(sweep, options.retentionIntervalMs ?? 60_000);
  sweeper.unref();

  // Group commit: sends within a few milliseconds share one transaction, so one fsync (synchronous = FULL)
  // serves many cameras' frames. Each send still resolves only once its messages are durable.
  let batch: { outputs: BusOutput[]; settle: (error: unknown) => void }[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    flushTimer = null;
    const sends = batch;
    batch = [];
    let failure: unknown = null;
    try {
      store.append(sends.flatMap((send) => send.outputs), clock.now());
    } catch (error) {
      failure = error;
    }
    for (const send of sends) send.settle(failure);
    if (failure === null) for (const consumer of consumers) consumer.notify();
  };
  const producer: Producer = {
    async send(topic: string, messages: readonly BusMessage[]): Promise<void> {
      for (const message of messages) checkMessageSize(topic, message, options.maxMessageBytes);
      await new Promise<void>((resolve, reject) => {
        batch.push({ outputs: messages.map((message) => ({ ...message, topic })), settle: (error) => (error === null ? resolve() : reject(error)) });
        flushTimer ??= setTimeout(flush, GROUP_COMMIT_MS);
      });
    },
  };

  const consume = <T>(consumerOptions: SubscribeOptions<T> | TransformOptions<T>, run: (message: T, record: BusRecord, signal: AbortSignal) => Promise<BusOutput[]>): Subscription => {
    const consumer: EmbeddedConsumer<T> = new EmbeddedConsumer<T>(
      store,
      {
        ...consumerSettings(consumerOptions, run, options),
        pollMs: options.pollMs ?? 250,
        onStopped: () => consumers.delete(consumer as EmbeddedConsumer<unknown>),
      },
      clock,
      logger.child({ group: consumerOptions.group, topic: consumerOptions.topic }),
      events,
    );
    consumers.add(consumer as EmbeddedConsumer<unknown>);
    consumer.start();
    return consumer;
  };

  return {
    kind: 'embedded',
    events,
    producer: () => producer,
    subscribe: async (subscribeOptions) =>
      consume(subscribeOptions, async (message, record) => {
        await subscribeOptions.handle(message, record);
        return [];
      }),
    transform: async (transformOptions) => consume(transformOptions, (message, record, signal) => transformOptions.transform(message, record, signal)),
    lag: async (group: string, topic: string): Promise<PartitionLag[]> => {
      const committed = store.committed(group, topic);
      const end = store.lastId(topic) + 1;
      return [{ group, topic, partition: 0, committed: committed === null ? '-1' : String(committed + 1), end: String(end), lag: store.countAfter(topic, committed ?? 0) }];
    },
    close: async () => {
      clearInterval(sweeper);
      // Sends waiting for their group commit are written before the store closes.
      if (flushTimer !== null) {
        clearTimeout(flushTimer);
        flush();
      }
      await Promise.all([...consumers].map((consumer) => consumer.stop()));
      store.close();
    },
  };
}
