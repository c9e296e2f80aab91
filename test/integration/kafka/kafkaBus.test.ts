import { describe, expect, inject, it } from 'vitest';
import kafkajs from 'kafkajs';
import { MESSAGE_SCHEMAS, type AssessmentTaskMessage } from '../../../backend/contracts/index.js';
import type { Bus } from '../../../backend/bus/bus.js';
import { createKafkaBus } from '../../../backend/bus/kafka/kafkaBus.js';
import { MessageTooLargeError } from '../../../backend/bus/messageSize.js';
import { captureLogger, taskMessage, waitFor } from '../../support/busFixtures.js';
import { createTopics, testKafkaSettings, uniqueName } from '../../support/kafkaFixtures.js';

const broker = inject('kafkaBroker');
const tasks = MESSAGE_SCHEMAS.AssessmentTaskMessage;

function openBus(dlqTopic: string): Bus {
  return createKafkaBus({ settings: testKafkaSettings(broker), dlqTopic, logger: captureLogger().logger, retryPolicy: { attempts: 2, initialDelayMs: 20, maxDelayMs: 20 } });
}

describe('kafka > bus (real broker)', () => {
  it('round-trips messages through a topic to every consumer group, and a caught-up group has lag 0', async () => {
    const topic = uniqueName('rt');
    const dlq = uniqueName('dlq');
    await createTopics(broker, [{ name: topic, partitions: 3 }, { name: dlq, partitions: 1 }]);
    const bus = openBus(dlq);
    await bus.producer().send(topic, Array.from({ length: 30 }, (_, i) => ({ key: `cam-${i % 5}`, value: JSON.stringify(taskMessage(i, `cam-${i % 5}`)) })));
    const seen: AssessmentTaskMessage[] = [];
    const group = uniqueName('g');
    await bus.subscribe({ group, topic, schema: tasks, stage: 'test', handle: async (message) => void seen.push(message) });
    await waitFor(() => seen.length === 30, 30_000, '30 messages');
    await waitFor(async () => (await bus.lag(group, topic)).every((partition) => partition.lag === 0), 30_000, 'lag 0');
    const perCamera = new Map<string, string[]>();
    for (const message of seen) perCamera.set(message.camera_id, [...(perCamera.get(message.camera_id) ?? []), message.frame_id]);
    for (const frames of perCamera.values()) expect(frames).toEqual([...frames].sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1])));
    await bus.close();
  });

  it('reports lag per partition from committed and end offsets', async () => {
    const topic = uniqueName('lag');
    await createTopics(broker, [{ name: topic, partitions: 2 }]);
    const bus = openBus('unused-dlq');
    await bus.producer().send(topic, Array.from({ length: 10 }, (_, i) => ({ key: i % 2 === 0 ? 'a' : 'b', value: JSON.stringify(taskMessage(i)) })));
    const group = uniqueName('g');
    const admin = new kafkajs.Kafka({ brokers: [broker], logLevel: kafkajs.logLevel.NOTHING }).admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '1' }] });
    await admin.disconnect();
    const lag = await bus.lag(group, topic);
    const end0 = Number(ends.find((entry) => entry.partition === 0)!.offset);
    const end1 = Number(ends.find((entry) => entry.partition === 1)!.offset);
    expect(end0 + end1).toBe(10);
    expect(lag).toEqual([
      { group, topic, partition: 0, committed: '1', end: String(end0), lag: end0 - 1 },
      { group, topic, partition: 1, committed: '-1', end: String(end1), lag: end1 },
    ]);
    await bus.close();
  });

  it('transforms exactly once, and groups reading the transactional output catch up to lag 0', async () => {
    const input = uniqueName('in');
    const output = uniqueName('out');
    const further = uniqueName('further');
    const dlq = uniqueName('dlq');
    await createTopics(broker, [{ name: input, partitions: 4 }, { name: output, partitions: 2 }, { name: further, partitions: 1 }, { name: dlq, partitions: 1 }]);
    const bus = openBus(dlq);
    const group = uniqueName('expander');
    await bus.transform({
      group,
      topic: input,
      schema: tasks,
      stage: 'expander',
      concurrency: 8,
      transform: async (message) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
        return [{ topic: output, key: message.camera_id, value: JSON.stringify({ ...message, priority: 9 }) }];
      },
    });
    await bus.producer().send(input, Array.from({ length: 60 }, (_, i) => ({ key: `cam-${i % 4}`, value: JSON.stringify(taskMessage(i, `cam-${i % 4}`)) })));
    const outputs: string[] = [];
    const reader = uniqueName('reader');
    await bus.subscribe({ group: reader, topic: output, schema: tasks, stage: 'reader', handle: async (message) => void outputs.push(message.frame_id) });
    // A second transform stage reads the transactional topic: it must move past the commit markers itself.
    const downstream = uniqueName('downstream');
    await bus.transform({ group: downstream, topic: output, schema: tasks, stage: 'downstream', transform: async (message) => [{ topic: further, key: null, value: JSON.stringify(message) }] });
    await waitFor(() => outputs.length >= 60, 60_000, '60 outputs');
    await waitFor(async () => (await bus.lag(reader, output)).every((partition) => partition.lag === 0), 30_000, 'reader lag 0');
    await waitFor(async () => (await bus.lag(downstream, output)).every((partition) => partition.lag === 0), 30_000, 'downstream transform lag 0');
    await waitFor(async () => (await bus.lag(group, input)).every((partition) => partition.lag === 0), 30_000, 'expander lag 0');
    expect(outputs).toHaveLength(60);
    expect(new Set(outputs).size).toBe(60);
    await bus.close();
  });

  it('sends garbage bytes to the DLQ with the reason and goes on', async () => {
    const topic = uniqueName('tasks');
    const dlq = uniqueName('dlq');
    await createTopics(broker, [{ name: topic, partitions: 1 }, { name: dlq, partitions: 1 }]);
    const bus = openBus(dlq);
    const handled: string[] = [];
    const dead: string[] = [];
    await bus.subscribe({ group: uniqueName('g'), topic, schema: tasks, stage: 'scheduler', handle: async (message) => void handled.push(message.frame_id) });
    await bus.subscribe({
      group: uniqueName('dlq-reader'),
      topic: dlq,
      schema: MESSAGE_SCHEMAS.DeadLetterMessage,
      stage: 'dlq-reader',
      handle: async (message) => void dead.push(`${message.stage}:${message.error.code}:${Buffer.from(message.original.value_b64!, 'base64').toString()}`),
    });
    await bus.producer().send(topic, [{ key: 'x', value: '\u0000garbage' }, { key: 'y', value: JSON.stringify(taskMessage(3)) }]);
    await waitFor(() => handled.length === 1 && dead.length === 1, 30_000, 'one handled, one dead');
    expect(handled).toEqual(['frame-3']);
    expect(dead).toEqual(['scheduler:invalid_json:\u0000garbage']);
    await bus.close();
  });

  it('refuses an oversize message before sending anything', async () => {
    const topic = uniqueName('big');
    await createTopics(broker, [{ name: topic, partitions: 1 }]);
    const bus = openBus('unused-dlq');
    await expect(bus.producer().send(topic, [{ key: null, value: 'x'.repeat(2 * 1024 * 1024) }])).rejects.toBeInstanceOf(MessageTooLargeError);
    expect((await bus.lag(uniqueName('g'), topic))[0]!.end).toBe('0');
    await bus.close();
  });
});
