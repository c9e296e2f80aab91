// A transactional transform across a broker restart: outputs exactly once. Passed 7 of 8 runs here;
// in the failing run the transform stalled after the restart (kafkajs transactions, see OPERATIONS.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_SCHEMAS } from '../../backend/contracts/index.js';
import { createKafkaBus } from '../../backend/bus/kafka/kafkaBus.js';
import { captureLogger, sendUntilAccepted, taskMessage, waitFor } from '../support/busFixtures.js';
import { testKafkaSettings, uniqueName } from '../support/kafkaFixtures.js';
import { restartableBroker } from '../support/restartableBroker.js';

const broker = restartableBroker(39096);
beforeAll(() => {
  broker.destroy();
  broker.start();
}, 120_000);
afterAll(() => broker.destroy(), 60_000);

describe('chaos > kafka transform across a broker restart', () => {
  it('writes every output exactly once', async () => {
    const [topic, output] = [uniqueName('in'), uniqueName('out')];
    await broker.createTopics([{ name: topic, partitions: 2 }, { name: output, partitions: 2 }, { name: 'dlq', partitions: 1 }]);
    const bus = createKafkaBus({ settings: testKafkaSettings(broker.address), dlqTopic: 'dlq', logger: captureLogger().logger, retryPolicy: { attempts: 2, initialDelayMs: 50, maxDelayMs: 100 } });
    await bus.transform({
      group: uniqueName('stage'), topic, schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'stage',
      transform: async (task) => [{ topic: output, key: task.camera_id, value: JSON.stringify({ ...task, priority: 9 }) }],
    });
    const outputs: string[] = [];
    await bus.subscribe({ group: uniqueName('reader'), topic: output, schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'reader', handle: async (task) => void outputs.push(task.frame_id) });
    const total = 60;
    const producing = (async () => {
      for (let i = 0; i < total; i++) {
        await sendUntilAccepted(bus.producer(), topic, { key: `cam-${i % 4}`, value: JSON.stringify(taskMessage(i, `cam-${i % 4}`)) });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await waitFor(() => outputs.length >= 15, 60_000, 'outputs before the stop');
    broker.stop();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    broker.start();
    await producing;
    await waitFor(() => outputs.length >= total, 120_000, `all ${total} outputs (have ${outputs.length})`);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // a duplicate would arrive now
    expect(outputs.sort()).toEqual(Array.from({ length: total }, (_, i) => `frame-${i}`).sort());
    await bus.close();
  }, 300_000);
});
