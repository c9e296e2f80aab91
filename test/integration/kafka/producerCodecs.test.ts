// Another team's producer may compress with any codec Kafka knows; kafkajs reads only gzip by itself, and a batch
// it cannot read used to stop the partition for good (issue 11). Written here with librdkafka from Python.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { createKafkaBus } from '../../../backend/bus/kafka/kafkaBus.js';
import { MESSAGE_SCHEMAS } from '../../../backend/contracts/index.js';
import { captureLogger, taskMessage, waitFor } from '../../support/busFixtures.js';
import { createTopics, testKafkaSettings, uniqueName } from '../../support/kafkaFixtures.js';

const broker = inject('kafkaBroker');
const producer = fileURLToPath(new URL('../../support/python/produce_with_codecs.py', import.meta.url));

describe('kafka > producer codecs (real broker, Python producer)', () => {
  it('reads messages compressed with none, gzip, snappy, lz4 and zstd by a librdkafka producer', async () => {
    const topic = uniqueName('codecs');
    await createTopics(broker, [{ name: topic, partitions: 1 }]);
    // .ci/run installs confluent-kafka; without it this fails, saying so in stderr.
    const written = execFileSync('python3', [producer, broker, topic], { input: JSON.stringify({ ...taskMessage(1), frame_id: 'CODEC' }), encoding: 'utf8' });
    expect(written.trim().split('\n')).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    const { logger, lines } = captureLogger();
    const bus = createKafkaBus({ settings: testKafkaSettings(broker), dlqTopic: uniqueName('dlq'), logger });
    const seen: string[] = [];
    await bus.subscribe({ group: uniqueName('g'), topic, schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'test', handle: async (message) => void seen.push(message.frame_id) });
    await waitFor(() => seen.length === 5, 30_000, 'a message of every codec');
    expect(seen).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    expect(lines().filter((line) => line.includes('not implemented'))).toEqual([]);
    await bus.close();
  });
});
