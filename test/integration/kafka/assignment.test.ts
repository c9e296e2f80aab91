// The Bus tells a consumer which partitions it owns after every rebalance, so the key pool's send slots follow the
// partitions (issue 12): a member holds what it keeps through the rebalance, lets go of what moved as the new
// assignment comes (the gaining member's pool waits a block before using it), and keeps what it had (sticky).
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
  it('hands each member its partitions, keeping them where they were and letting go of the moved ones as they move', async () => {
    const topic = uniqueName('assign');
    await createTopics(broker, [{ name: topic, partitions: 4 }]);
    const group = uniqueName('g');
    const a = await join(group, topic);
    await waitFor(() => latest(a)?.partitions.length === 4, 30_000, 'the first member to own every partition');
    expect(latest(a)).toEqual({ partitions: [0, 1, 2, 3], total: 4 });
    const alone = a.seen.length;

    const b = await join(group, topic);
    await waitFor(() => (latest(a)?.partitions.length ?? 0) + (latest(b)?.partitions.length ?? 0) === 4 && (latest(b)?.partitions.length ?? 0) > 0, 60_000, 'both members to share the partitions');
    const [ofA, ofB] = [latest(a)!.partitions, latest(b)!.partitions];
    expect([...ofA, ...ofB].sort()).toEqual([0, 1, 2, 3]);
    expect(ofA.filter((partition) => ofB.includes(partition))).toEqual([]);
    expect(ofA).toHaveLength(2);
    // A held its partitions through the rebalance: no report of none in between, one report of what it kept.
    expect(a.seen.slice(alone).map(({ assignment }) => assignment.partitions)).toEqual([ofA]);
    // A let go of the moved ones within a block (≥ 400 ms at 5 QPS) of B being given them: B's pool waits that long.
    const droppedAt = a.seen[alone]!.atMs;
    const gainedAt = b.seen.find(({ assignment }) => assignment.partitions.length > 0)!.atMs;
    expect(droppedAt - gainedAt).toBeLessThan(250);

    await b.close();
    expect(latest(b)).toEqual({ partitions: [], total: 4 });
    await waitFor(() => latest(a)?.partitions.length === 4, 60_000, 'the remaining member to own every partition again');
    await a.close();
  });
});
