// Helpers for exactly-once tests on a real bus: numbered inputs, total lag, and the outputs a read_committed reader finds.
import type { Bus } from '../../backend/bus/bus.js';
import { MESSAGE_SCHEMAS } from '../../backend/contracts/index.js';
import { taskMessage, waitFor } from './busFixtures.js';
import { uniqueName } from './kafkaFixtures.js';

/** Tasks frame-0 … frame-(count-1), spread over eight camera keys. */
export async function sendFrames(bus: Bus, topic: string, count: number): Promise<void> {
  await bus.producer().send(topic, Array.from({ length: count }, (_, i) => ({ key: `cam-${i % 8}`, value: JSON.stringify(taskMessage(i, `cam-${i % 8}`)) })));
}

export function frameIds(count: number): Set<string> {
  return new Set(Array.from({ length: count }, (_, i) => `frame-${i}`));
}

export async function totalLag(bus: Bus, group: string, topic: string): Promise<number> {
  return (await bus.lag(group, topic)).reduce((sum, partition) => sum + partition.lag, 0);
}

/**
 * Every record on the topic as a new group reads it, one frame id per position: a redelivery to the reader
 * itself (at least once) is not taken for a duplicate output, a second copy in the log is.
 */
export async function committedOutputs(bus: Bus, topic: string, expected: number): Promise<string[]> {
  const byPosition = new Map<string, string>();
  const reader = uniqueName('reader');
  await bus.subscribe({
    group: reader,
    topic,
    schema: MESSAGE_SCHEMAS.AssessmentTaskMessage,
    stage: 'reader',
    handle: async (message, record) => void byPosition.set(`${record.partition}:${record.offset}`, message.frame_id),
  });
  await waitFor(async () => byPosition.size >= expected && (await totalLag(bus, reader, topic)) === 0, 60_000, 'every output');
  return [...byPosition.values()];
}
