import { describe, expect, inject, it } from 'vitest';
import { MESSAGE_SCHEMAS, createTaskId, type DetectionResultMessage } from '../../../backend/contracts/index.js';
import type { Bus } from '../../../backend/bus/bus.js';
import { createKafkaBus } from '../../../backend/bus/kafka/kafkaBus.js';
import { createExpander, type ExpanderSettings } from '../../../backend/expander/expanderStage.js';
import { captureLogger, waitFor } from '../../support/busFixtures.js';
import { createTopics, testKafkaSettings, uniqueName } from '../../support/kafkaFixtures.js';
import { detectionResult } from '../../support/messageFixtures.js';

const broker = inject('kafkaBroker');

function openBus(dlqTopic: string): Bus {
  return createKafkaBus({ settings: testKafkaSettings(broker), dlqTopic, logger: captureLogger().logger, retryPolicy: { attempts: 2, initialDelayMs: 20, maxDelayMs: 20 } });
}

/** Frame `i` of one of four cameras, with two groups far apart (so de-duplication keeps both). */
function frame(i: number): DetectionResultMessage {
  const base = detectionResult();
  const group = base.groups[0]!;
  return {
    ...base,
    camera_id: `cam-${i % 4}`,
    frame_id: `${1_700_000_000_000 + i * 1000}-${i}`,
    captured_at_ms: Date.now(),
    groups: [
      { ...group, group_id: `g-${i}-a`, region: [i * 1000, 0, i * 1000 + 100, 100] },
      { ...group, group_id: `g-${i}-b`, region: [i * 1000 + 500, 0, i * 1000 + 600, 100] },
    ],
  };
}

describe('expander on the real broker', () => {
  it('writes exactly one task per group across a stop and a restart of the expander', async () => {
    const [input, tasks, dlq] = [uniqueName('detections'), uniqueName('tasks'), uniqueName('dlq')];
    await createTopics(broker, [{ name: input, partitions: 4 }, { name: tasks, partitions: 4 }, { name: dlq, partitions: 1 }]);
    const settings: ExpanderSettings = { group: uniqueName('expander'), detectionTopic: input, tasksTopic: tasks, taskTtlMs: 600_000, maxMessageBytes: 1 << 20, dedup: { windowMs: 30_000, regionIou: 0.7, distanceChange: 0.25, ttcThresholdS: 1.5 }, concurrency: 4, ttcThresholdS: 1.5 };
    const frames = Array.from({ length: 40 }, (_, i) => frame(i));
    const expected = frames.flatMap((f) => f.groups.map((g) => createTaskId(f.camera_id, f.frame_id, g.group_id))).sort();

    const first = openBus(dlq);
    let expanded = 0;
    const expanderA = createExpander(first, settings);
    expanderA.events.on('expanded', () => expanded++);
    const runningA = await expanderA.start();
    await first.producer().send(input, frames.slice(0, 20).map((f) => ({ key: f.camera_id, value: JSON.stringify(f) })));
    await waitFor(() => expanded >= 10, 60_000, 'first expander under way');
    await runningA.stop();
    await first.close();

    // A new instance (as after a redeploy) takes over from the committed offsets while more frames arrive.
    const second = openBus(dlq);
    const runningB = await createExpander(second, settings).start();
    await second.producer().send(input, frames.slice(20).map((f) => ({ key: f.camera_id, value: JSON.stringify(f) })));
    const seen: string[] = [];
    const reader = uniqueName('reader');
    await second.subscribe({ group: reader, topic: tasks, schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'reader', handle: async (task) => void seen.push(task.task_id) });
    await waitFor(async () => (await second.lag(settings.group, input)).every((p) => p.lag === 0), 90_000, 'expander caught up');
    await waitFor(() => seen.length >= expected.length, 60_000, 'all tasks read');
    await waitFor(async () => (await second.lag(reader, tasks)).every((p) => p.lag === 0), 30_000, 'reader caught up');
    await runningB.stop();
    await second.close();
    expect(seen.sort()).toEqual(expected);
  });
});
