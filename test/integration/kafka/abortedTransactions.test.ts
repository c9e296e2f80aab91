import { describe, expect, inject, it } from 'vitest';
import kafkajs from 'kafkajs';
import { MESSAGE_SCHEMAS } from '../../../backend/contracts/index.js';
import { createKafkaBus } from '../../../backend/bus/kafka/kafkaBus.js';
import { captureLogger, taskMessage, waitFor } from '../../support/busFixtures.js';
import { createTopics, testKafkaSettings, uniqueName } from '../../support/kafkaFixtures.js';

const broker = inject('kafkaBroker');

describe('kafka > read_committed (real broker)', () => {
  // The shape a fenced zombie leaves behind: its transaction opened first, another one was aborted before it.
  // The broker then lists the aborted transactions in abort order; unpatched kafkajs delivered the first one.
  it('never delivers records of aborted transactions, whatever order they were aborted in', async () => {
    const topic = uniqueName('aborted');
    await createTopics(broker, [{ name: topic, partitions: 1 }]);
    const kafka = new kafkajs.Kafka({ brokers: [broker], logLevel: kafkajs.logLevel.NOTHING });
    const opener = kafka.producer({ transactionalId: uniqueName('opened-first'), idempotent: true, maxInFlightRequests: 1 });
    const other = kafka.producer({ transactionalId: uniqueName('aborted-first'), idempotent: true, maxInFlightRequests: 1 });
    await Promise.all([opener.connect(), other.connect()]);
    const openedFirst = await opener.transaction();
    await openedFirst.send({ topic, messages: [{ key: 'cam-001', value: JSON.stringify(taskMessage(0)) }] });
    const abortedFirst = await other.transaction();
    await abortedFirst.send({ topic, messages: [{ key: 'cam-001', value: JSON.stringify(taskMessage(1)) }] });
    await abortedFirst.abort();
    await openedFirst.abort();
    await Promise.all([opener.disconnect(), other.disconnect()]);

    const bus = createKafkaBus({ settings: testKafkaSettings(broker), dlqTopic: uniqueName('dlq'), logger: captureLogger().logger });
    await bus.producer().send(topic, [{ key: 'cam-001', value: JSON.stringify(taskMessage(2)) }]);
    const seen: string[] = [];
    const group = uniqueName('reader');
    await bus.subscribe({ group, topic, schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'reader', handle: async (message) => void seen.push(message.frame_id) });
    await waitFor(async () => seen.includes('frame-2') && (await bus.lag(group, topic)).every((partition) => partition.lag === 0), 30_000, 'the committed message');
    expect(seen).toEqual(['frame-2']);
    await bus.close();
  });
});
