// One transactional producer per input partition, as kafkajs's documentation prescribes: kafkajs speaks the old
// TxnOffsetCommit protocol without consumer-group fencing, so the transactional id (group, topic, partition)
// is what fences a zombie: whoever processes a partition next initialises the same id and aborts the old
// instance's open transaction.
import kafkajs, { type Kafka, type Message, type Producer, type Transaction } from 'kafkajs';
import { retry } from '../../core/retry.js';
import { withTimeout } from '../../core/withTimeout.js';
import type { Logger } from '../../core/logger.js';
import type { BusOutput } from '../bus.js';
import { chunkBySize } from '../messageSize.js';
import { KafkaError } from './kafkaErrors.js';
import { toKafkaMessage } from './kafkaMessages.js';

const { CompressionTypes } = kafkajs;

export interface TransactionalCommit {
  group: string;
  topic: string;
  partition: number;
  /** Next offset to read: the last processed offset + 1. */
  nextOffset: string;
  outputs: readonly BusOutput[];
}

export class TransactionalProducers {
  private readonly producers = new Map<string, Promise<Producer>>();
  /** One transaction at a time per transactional id: a kafkajs producer cannot run two. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: { compression: 'none' | 'gzip'; transactionTimeoutMs: number; operationTimeoutMs: number; maxMessageBytes: number; logger: Logger },
  ) {}

  private producerFor(id: string): Promise<Producer> {
    let producer = this.producers.get(id);
    if (!producer) {
      producer = (async () => {
        const created = this.kafka.producer({
          transactionalId: id,
          idempotent: true,
          maxInFlightRequests: 1,
          transactionTimeout: this.options.transactionTimeoutMs,
          createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
          // The broker answers a transaction that follows another of the same id with CONCURRENT_TRANSACTIONS
          // until the previous one's markers are written, a few ms; kafkajs's client-wide 300 ms first
          // backoff would make every transaction wait that long.
          retry: { initialRetryTime: 10 },
        });
        await created.connect();
        return created;
      })();
      this.producers.set(id, producer);
      producer.catch(() => this.producers.delete(id));
    }
    return producer;
  }

  /**
   * Takes over a partition: initialising its transactional id waits for (and aborts) any transaction a previous
   * owner left open, so the group's committed offset read afterwards is stable (kafkajs's OffsetFetch cannot ask
   * for stable offsets, KIP-447); reading it before could replay work a finishing transaction already committed.
   */
  fence(group: string, topic: string, partition: number): Promise<void> {
    const id = `${group}-${topic}-${partition}`;
    const previous = this.queues.get(id) ?? Promise.resolve();
    const run = async (): Promise<void> => {
      const producer = await withTimeout(this.producerFor(id), this.options.operationTimeoutMs, `starting transactional producer ${id}`);
      try {
        const transaction = await withTimeout(producer.transaction(), this.options.operationTimeoutMs, `initialising transactional id ${id}`);
        await withTimeout(transaction.abort(), this.options.operationTimeoutMs, `closing the empty transaction of ${id}`);
      } catch (error) {
        this.producers.delete(id);
        await withTimeout(producer.disconnect(), this.options.operationTimeoutMs, `closing producer ${id}`).catch((disconnectError: unknown) =>
          this.options.logger.warn({ err: disconnectError, id }, 'producer disconnect failed'),
        );
        throw error;
      }
    };
    const next = previous.then(run, run);
    this.queues.set(id, next);
    return next;
  }

  /**
   * Outputs and the input position in one transaction: both become visible together, or neither.
   * `stillWanted` is asked when the transaction's turn comes (a queued commit may have been overtaken).
   */
  commit(commit: TransactionalCommit, stillWanted: () => boolean = () => true): Promise<void> {
    const id = `${commit.group}-${commit.topic}-${commit.partition}`;
    const previous = this.queues.get(id) ?? Promise.resolve();
    const run = (): Promise<void> => (stillWanted() ? this.runTransaction(id, commit) : Promise.resolve());
    const next = previous.then(run, run);
    this.queues.set(id, next);
    return next;
  }

  private async runTransaction(id: string, commit: TransactionalCommit): Promise<void> {
    const producer = await withTimeout(this.producerFor(id), this.options.operationTimeoutMs, `starting transactional producer ${id}`);
    let transaction: Transaction | null = null;
    try {
      transaction = await withTimeout(producer.transaction(), this.options.operationTimeoutMs, `beginning a transaction of ${id}`);
      // Several sends when the outputs would make a batch the broker refuses; all of them in this one transaction.
      for (const chunk of chunkBySize(commit.outputs, this.options.maxMessageBytes)) {
        const byTopic = new Map<string, Message[]>();
        for (const output of chunk) byTopic.set(output.topic, [...(byTopic.get(output.topic) ?? []), toKafkaMessage(output)]);
        await withTimeout(transaction.sendBatch({
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
          compression: this.options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
        }), this.options.operationTimeoutMs, `sending the outputs of ${id}`);
      }
      await this.sendOffsets(transaction, id, commit);
      await withTimeout(transaction.commit(), this.options.operationTimeoutMs, `committing a transaction of ${id}`);
    } catch (error) {
      this.options.logger.warn({ err: error, id }, 'transaction failed, aborting it and replacing the producer');
      if (transaction?.isActive()) {
        await withTimeout(transaction.abort(), this.options.operationTimeoutMs, `aborting a transaction of ${id}`).catch((abortError: unknown) =>
          this.options.logger.warn({ err: abortError, id }, 'transaction abort failed; the next producer with this id fences it'),
        );
      }
      // A fenced or broken producer cannot be reused; the next commit starts a fresh one (which fences in turn).
      this.producers.delete(id);
      await withTimeout(producer.disconnect(), this.options.operationTimeoutMs, `closing producer ${id}`).catch((disconnectError: unknown) =>
        this.options.logger.warn({ err: disconnectError, id }, 'producer disconnect failed'),
      );
      throw error;
    }
  }

  /**
   * Without outputs AddOffsetsToTxn is the transaction's first request, and the broker answers it with
   * CONCURRENT_TRANSACTIONS until the previous transaction's markers are written; kafkajs does not retry that.
   */
  private async sendOffsets(transaction: Transaction, id: string, commit: TransactionalCommit): Promise<void> {
    const offsets = { consumerGroupId: commit.group, topics: [{ topic: commit.topic, partitions: [{ partition: commit.partition, offset: commit.nextOffset }] }] };
    await retry(
      async () => {
        try {
          await withTimeout(transaction.sendOffsets(offsets), this.options.operationTimeoutMs, `committing the offsets of ${id}`);
        } catch (error) {
          if ((error as { type?: string }).type !== 'CONCURRENT_TRANSACTIONS') throw error;
          throw new KafkaError('kafka_concurrent_transactions', `committing the offsets of ${id}: the previous transaction is still completing`, { retriable: true, cause: error });
        }
      },
      { attempts: 8, initialDelayMs: 10, maxDelayMs: 500 },
    );
  }

  async closeAll(): Promise<void> {
    const producers = [...this.producers.values()];
    this.producers.clear();
    await Promise.all(
      producers.map(async (pending) => {
        try {
          await (await pending).disconnect();
        } catch (error) {
          this.options.logger.warn({ err: error }, 'transactional producer did not close cleanly');
        }
      }),
    );
  }
}
