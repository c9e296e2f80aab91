// The Bus on Kafka (kafkajs): an idempotent producer, consumer groups with bounded concurrency, and
// transactional consume-transform-produce. kafkajs stays behind this file's seam (see docs/ARCHITECTURE.md).
import { EventEmitter } from 'node:events';
import kafkajs, { type Admin, type Kafka, type Producer as KafkaProducer } from 'kafkajs';
import { systemClock, type Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { RetryPolicy } from '../../core/retry.js';
import type { Bus, BusEvents, BusMessage, BusOutput, BusRecord, Producer, SubscribeOptions, Subscription, TransformOptions } from '../bus.js';
import { consumerSettings } from '../consumerSettings.js';
import { checkMessageSize } from '../messageSize.js';
import { createKafkaClient, type KafkaSettings } from './kafkaClient.js';
import { KafkaConsumerRunner } from './kafkaConsumerRunner.js';
import { toKafkaError } from './kafkaErrors.js';
import { toKafkaMessage } from './kafkaMessages.js';
import { createSendCoalescer } from './sendCoalescer.js';
import { readLag } from './kafkaLag.js';
import { TransactionalProducers } from './transactionalProducers.js';

const { CompressionTypes } = kafkajs;

export interface KafkaBusOptions {
  settings: KafkaSettings;
  /** Part of the client id (`<client_id>-<instance_id>`), so the broker's logs name the process. */
  instanceId?: string;
  dlqTopic: string;
  /** How far an event time may lie ahead of this host's clock before its message is dead-lettered. */
  maxClockSkewMs?: number;
  logger: Logger;
  clock?: Clock;
  retryPolicy?: RetryPolicy;
  /** A client built elsewhere from the same settings; fault-injection tests wrap the real one. */
  client?: Kafka;
}

export function createKafkaBus(options: KafkaBusOptions): Bus {
  const { settings, logger } = options;
  const clock = options.clock ?? systemClock;
  const kafka = options.client ?? createKafkaClient(settings, logger.child({ component: 'kafkajs' }), { instanceId: options.instanceId });
  const events = new EventEmitter<BusEvents>();
  const transactions = new TransactionalProducers(kafka, {
    compression: settings.compression,
    transactionTimeoutMs: settings.transaction_timeout_ms,
    // A transaction step that takes longer than a broker request may is stuck (a known kafkajs failure).
    operationTimeoutMs: settings.request_timeout_ms,
    maxMessageBytes: settings.max_message_bytes,
    logger,
  });
  const runners = new Set<KafkaConsumerRunner<unknown>>();
  let connectedProducer: Promise<KafkaProducer> | null = null;
  let connectedAdmin: Promise<Admin> | null = null;

  const rawProducer = (): Promise<KafkaProducer> => {
    connectedProducer ??= (async () => {
      // The Java client's murmur2 partitioner: a camera's key lands on the same partition whichever client wrote it.
      const created = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
      await created.connect();
      return created;
    })();
    connectedProducer.catch(() => (connectedProducer = null));
    return connectedProducer;
  };

  const admin = (): Promise<Admin> => {
    connectedAdmin ??= (async () => {
      const created = kafka.admin();
      await created.connect();
      return created;
    })();
    connectedAdmin.catch(() => (connectedAdmin = null));
    return connectedAdmin;
  };

  const coalesced = createSendCoalescer(async (topicMessages) => {
    const connected = await rawProducer();
    await connected.sendBatch({
      acks: -1,
      compression: settings.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
      topicMessages: topicMessages.map(({ topic, messages }) => ({ topic, messages: messages.map(toKafkaMessage) })),
    });
  }, settings.max_message_bytes);

  const producer: Producer = {
    async send(topic: string, messages: readonly BusMessage[]): Promise<void> {
      for (const message of messages) checkMessageSize(topic, message, settings.max_message_bytes);
      try {
        await coalesced(topic, messages);
      } catch (error) {
        throw toKafkaError(error, `sending ${messages.length} message(s) to ${topic}`);
      }
    },
  };

  const consume = async <T>(mode: 'subscribe' | 'transform', consumerOptions: SubscribeOptions<T> | TransformOptions<T>, run: (message: T, record: BusRecord, signal: AbortSignal) => Promise<BusOutput[]>): Promise<Subscription> => {
    const runner = new KafkaConsumerRunner<T>(
      {
        ...consumerSettings(consumerOptions, run, { dlqTopic: options.dlqTopic, maxMessageBytes: settings.max_message_bytes, maxClockSkewMs: options.maxClockSkewMs, retryPolicy: options.retryPolicy }),
        mode,
        sessionTimeoutMs: settings.session_timeout_ms,
        rebalanceTimeoutMs: settings.rebalance_timeout_ms,
      },
      {
        kafka,
        committedOffset: async (group, topic, partition) => {
          const [offsets] = await (await admin()).fetchOffsets({ groupId: group, topics: [topic] });
          return offsets?.partitions.find((entry) => entry.partition === partition)?.offset ?? '-1';
        },
        partitionCount: async (topic) => {
          const { topics } = await (await admin()).fetchTopicMetadata({ topics: [topic] });
          return topics[0]?.partitions.length ?? 1;
        },
        producer,
        transactions,
        clock, logger: logger.child({ group: consumerOptions.group, topic: consumerOptions.topic }), events },
    );
    runners.add(runner as KafkaConsumerRunner<unknown>);
    try {
      await runner.start();
    } catch (error) {
      runners.delete(runner as KafkaConsumerRunner<unknown>);
      throw toKafkaError(error, `joining group ${consumerOptions.group} on ${consumerOptions.topic}`);
    }
    return runner;
  };

  return {
    kind: 'kafka',
    events,
    producer: () => producer,
    subscribe: (subscribeOptions) =>
      consume('subscribe', subscribeOptions, async (message, record) => {
        await subscribeOptions.handle(message, record);
        return [];
      }),
    transform: (transformOptions) => consume('transform', transformOptions, (message, record, signal) => transformOptions.transform(message, record, signal)),
    lag: async (group, topic) => {
      try {
        return await readLag(await admin(), group, topic);
      } catch (error) {
        throw toKafkaError(error, `reading the lag of ${group} on ${topic}`);
      }
    },
    close: async () => {
      await Promise.all([...runners].map((runner) => runner.stop()));
      runners.clear();
      await transactions.closeAll();
      const closing: Promise<void>[] = [];
      if (connectedProducer) closing.push(connectedProducer.then((created) => created.disconnect()));
      if (connectedAdmin) closing.push(connectedAdmin.then((created) => created.disconnect()));
      const results = await Promise.allSettled(closing);
      for (const result of results) if (result.status === 'rejected') logger.warn({ err: result.reason }, 'kafka client did not close cleanly');
    },
  };
}
