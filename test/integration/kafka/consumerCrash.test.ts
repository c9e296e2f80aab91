// kafkajs stops a consumer for good after an error it deems final; the bus must start it again, visibly.
import type { Consumer, ConsumerConfig, ConsumerRunConfig, Kafka } from 'kafkajs';
import { describe, expect, inject, it } from 'vitest';
import { MESSAGE_SCHEMAS } from '../../../backend/contracts/index.js';
import { createKafkaClient } from '../../../backend/bus/kafka/kafkaClient.js';
import { createKafkaBus } from '../../../backend/bus/kafka/kafkaBus.js';
import { captureLogger, taskMessage, waitFor } from '../../support/busFixtures.js';
import { createTopics, testKafkaSettings, uniqueName } from '../../support/kafkaFixtures.js';

const broker = inject('kafkaBroker');

/** The real client, whose consumers throw a TypeError (final for kafkajs) from their first batch, outside the bus's own handling. */
function failingFirstBatch(kafka: Kafka): Kafka {
  const wrapped = Object.create(kafka) as Kafka;
  wrapped.consumer = (config: ConsumerConfig): Consumer => {
    const consumer = kafka.consumer(config);
    const run = consumer.run.bind(consumer);
    let failed = false;
    consumer.run = (runConfig?: ConsumerRunConfig) =>
      run({
        ...runConfig,
        eachBatch: async (payload) => {
          if (!failed) {
            failed = true;
            throw new TypeError('injected fault');
          }
          await runConfig!.eachBatch!(payload);
        },
      });
    return consumer;
  };
  return wrapped;
}

describe('kafka > consumer crash (real broker)', () => {
  it('starts a consumer again after kafkajs gave it up, and says so in the log', async () => {
    const topic = uniqueName('crash');
    await createTopics(broker, [{ name: topic, partitions: 1 }]);
    const settings = testKafkaSettings(broker);
    const { logger, lines } = captureLogger();
    const bus = createKafkaBus({ settings, dlqTopic: uniqueName('dlq'), logger, client: failingFirstBatch(createKafkaClient(settings, logger)) });
    await bus.producer().send(topic, Array.from({ length: 5 }, (_, i) => ({ key: 'cam-001', value: JSON.stringify(taskMessage(i)) })));
    const seen = new Set<string>();
    await bus.subscribe({ group: uniqueName('g'), topic, schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'test', handle: async (message) => void seen.add(message.frame_id) });
    await waitFor(() => seen.size === 5, 60_000, 'every message after the restart');
    const restarts = lines().filter((line) => line.includes('consumer stopped on an error kafkajs does not retry'));
    expect(restarts).toHaveLength(1);
    expect(JSON.parse(restarts[0]!)).toMatchObject({ level: 50, err: { message: expect.stringContaining('injected fault') }, retry_in_ms: 1000 });
    await bus.close();
  });
});
