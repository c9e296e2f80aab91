// The Bus tells a consumer which partitions it owns after every rebalance, revoking before assigning, so the key
// pool's send slots follow the partitions (issue 12) and two members never hold one partition's slots at once.
import { describe, expect, inject, it } from 'vitest';
import type { Assignment, Subscription } from '../../../backend/bus/bus.js';
import { createKafkaBus } from '../../../backend/bus/kafka/kafkaBus.js';
import { MESSAGE_SCHEMAS } from '../../../backend/contracts/index.js';
import { captureLogger, waitFor } from '../../support/busFixtures.js';
import { createTopics, testKafkaSettings, uniqueName } from '../../support/kafkaFixtures.js';

const broker = inject('kafkaBroker');

interface Member {
  subscription: Subscription;
  seen: { atMs: number; assignment: Assignment }[];
  close(): Promise<void>;
}

async function join(group: string, topic: string): Promise<Member> {
  const bus = createKafkaBus({ settings: testKafkaSettings(broker), dlqTopic: uniqueName('dlq'), logger: captureLogger().logger });
  const seen: Member['seen'] = [];
  const subscription = await bus.transform({
    group, topic, schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'test', transform: async () => [],
    onAssignment: (assignment) => void seen.push({ atMs: performance.now(), assignment }),
  });
  return { subscription, seen, close: () => bus.close() };
}

const latest = (member: Member): Assignment | undefined => member.seen.at(-1)?.assignment;

describe('kafka > partition assignment (real broker)', () => {
  it('hands each member its partitions, revoking from the old owner before the new one is assigned', async () => {
    const topic = uniqueName('assign');
    await createTopics(broker, [{ name: topic, partitions: 4 }]);
    const group = uniqueName('g');
    const a = await join(group, topic);
    await waitFor(() => latest(a)?.partitions.length === 4, 30_000, 'the first member to own every partition');
    expect(latest(a)).toEqual({ partitions: [0, 1, 2, 3], total: 4 });

    const b = await join(group, topic);
    await waitFor(() => (latest(a)?.partitions.length ?? 0) + (latest(b)?.partitions.length ?? 0) === 4 && latest(b)!.partitions.length > 0, 60_000, 'both members to share the partitions');
    const [ofA, ofB] = [latest(a)!.partitions, latest(b)!.partitions];
    expect([...ofA, ...ofB].sort()).toEqual([0, 1, 2, 3]);
    expect(ofA.filter((partition) => ofB.includes(partition))).toEqual([]);
    // A let go of everything before B was given anything.
    const revokedAt = a.seen.find(({ assignment }) => assignment.partitions.length === 0)!.atMs;
    const assignedAt = b.seen.find(({ assignment }) => assignment.partitions.length > 0)!.atMs;
    expect(revokedAt).toBeLessThan(assignedAt);

    await b.close();
    expect(latest(b)).toEqual({ partitions: [], total: 4 });
    await waitFor(() => latest(a)?.partitions.length === 4, 60_000, 'the remaining member to own every partition again');
    await a.close();
  });
});
