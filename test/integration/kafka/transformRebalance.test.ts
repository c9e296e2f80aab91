// Scaling a transform stage out and back in while it works: partitions move between live instances, and the
// instance that loses a partition mid-transaction is fenced by the one that gains it. Nothing may be repeated,
// lost, or leave an instance stopped.
import { describe, expect, inject, it } from 'vitest';
import { MESSAGE_SCHEMAS, type AssessmentTaskMessage } from '../../../backend/contracts/index.js';
import type { Bus, TransformOptions } from '../../../backend/bus/bus.js';
import { createKafkaBus } from '../../../backend/bus/kafka/kafkaBus.js';
import { captureLogger, waitFor } from '../../support/busFixtures.js';
import { committedOutputs, frameIds, sendFrames, totalLag } from '../../support/exactlyOnce.js';
import { createTopics, testKafkaSettings, uniqueName } from '../../support/kafkaFixtures.js';

const broker = inject('kafkaBroker');

function processedCounter(bus: Bus): () => number {
  let count = 0;
  bus.events.on('processed', ({ count: committed }) => (count += committed));
  return () => count;
}

describe('kafka > transform across rebalances (real broker)', () => {
  it('stays exactly once when a second instance joins mid-stream and leaves again', async () => {
    const input = uniqueName('rb-in');
    const output = uniqueName('rb-out');
    const dlq = uniqueName('rb-dlq');
    const group = uniqueName('rb-expander');
    await createTopics(broker, [{ name: input, partitions: 4 }, { name: output, partitions: 2 }, { name: dlq, partitions: 1 }]);
    const open = (): Bus => createKafkaBus({ settings: testKafkaSettings(broker), dlqTopic: dlq, logger: captureLogger().logger });
    const [first, second, reading] = [open(), open(), open()];
    // Slow enough (about 200 a second) that the second instance joins while most of the work is still to do.
    const inputs = 2000;
    await sendFrames(reading, input, inputs);
    const options: TransformOptions<AssessmentTaskMessage> = {
      group,
      topic: input,
      schema: MESSAGE_SCHEMAS.AssessmentTaskMessage,
      stage: 'expander',
      concurrency: 2,
      transform: async (message) => {
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 40));
        return [{ topic: output, key: message.camera_id, value: JSON.stringify({ ...message, priority: 7 }) }];
      },
    };

    const firstProcessed = processedCounter(first);
    const secondProcessed = processedCounter(second);
    await first.transform(options);
    await waitFor(() => firstProcessed() > 0, 60_000, 'the first instance to commit');
    await second.transform(options);
    await waitFor(() => secondProcessed() > 0, 60_000, 'the second instance to take partitions over and commit');
    const firstBeforeLeave = firstProcessed();
    await second.close();
    // The first instance gets every partition back; it must still be consuming, not stopped by a fenced commit.
    await waitFor(async () => (await totalLag(reading, group, input)) === 0, 120_000, 'the first instance to finish alone');
    expect(firstProcessed()).toBeGreaterThan(firstBeforeLeave);

    const outputs = await committedOutputs(reading, output, inputs);
    expect(outputs).toHaveLength(inputs);
    expect(new Set(outputs)).toEqual(frameIds(inputs));
    await Promise.all([first.close(), reading.close()]);
  }, 240_000);
});
