import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { stickyAssigner, stickyAssignment, STICKY_ASSIGNER } from '../../../backend/bus/kafka/stickyAssigner.js';
import { captureLogger } from '../../support/busFixtures.js';

const ALL = Array.from({ length: 32 }, (_, partition) => partition);
const sizes = (assignment: Map<string, number[]>): number[] => [...assignment.values()].map((partitions) => partitions.length);
const union = (assignment: Map<string, number[]>): number[] => [...assignment.values()].flat().sort((a, b) => a - b);

/** Members joining one by one, each join keeping what the others held. */
function grow(ids: string[]): Map<string, number[]> {
  let assignment = new Map<string, number[]>();
  for (let count = 1; count <= ids.length; count++) {
    assignment = stickyAssignment(ids.slice(0, count).map((id) => ({ id, claimed: assignment.get(id) ?? [] })), ALL);
  }
  return assignment;
}

describe('bus > sticky assigner', () => {
  it('deals every partition once, balanced, and not in runs', () => {
    const assignment = grow(['a', 'b', 'c']);
    expect(union(assignment)).toEqual(ALL);
    expect(sizes(assignment).sort()).toEqual([10, 11, 11]);
    // No member holds more than two neighbouring partitions in a row (a run would make its send slots bursty).
    for (const partitions of assignment.values()) {
      const longest = partitions.reduce<{ run: number; max: number; last: number }>((state, partition) => {
        const run = partition === state.last + 1 ? state.run + 1 : 1;
        return { run, max: Math.max(state.max, run), last: partition };
      }, { run: 0, max: 0, last: -2 }).max;
      expect(longest).toBeLessThanOrEqual(2);
    }
  });

  it('moves only the partitions of a member that left, and only a share to one that joins', () => {
    const before = grow(['a', 'b', 'c']);
    const after = stickyAssignment([{ id: 'b', claimed: before.get('b')! }, { id: 'c', claimed: before.get('c')! }], ALL);
    expect(union(after)).toEqual(ALL);
    expect(sizes(after)).toEqual([16, 16]);
    for (const id of ['b', 'c']) expect(after.get(id)).toEqual(expect.arrayContaining(before.get(id)!));

    const rejoined = stickyAssignment([{ id: 'b', claimed: after.get('b')! }, { id: 'c', claimed: after.get('c')! }, { id: 'd', claimed: [] }], ALL);
    expect(union(rejoined)).toEqual(ALL);
    expect(sizes(rejoined).sort()).toEqual([10, 11, 11]);
    const moved = ['b', 'c'].flatMap((id) => after.get(id)!.filter((partition) => !rejoined.get(id)!.includes(partition)));
    expect(moved.sort((x, y) => x - y)).toEqual(rejoined.get('d'));
  });

  it('ignores claims on partitions that do not exist and gives a twice-claimed partition to one member', () => {
    const assignment = stickyAssignment([{ id: 'a', claimed: [0, 1, 2, 40, -1] }, { id: 'b', claimed: [2, 3] }], [0, 1, 2, 3]);
    expect(assignment.get('a')).toEqual([0, 1]);
    expect(assignment.get('b')).toEqual([2, 3]);
    expect(stickyAssignment([], [0, 1])).toEqual(new Map());
  });

  it('speaks the kafkajs assigner protocol: its join metadata names what it holds, and the leader keeps it there', async () => {
    const { MemberMetadata, MemberAssignment } = kafkajs.AssignerProtocol;
    const cluster = { findTopicPartitionMetadata: () => [0, 1, 2, 3].map((partitionId) => ({ partitionId })) } as never;
    const config = { cluster, groupId: 'g', logger: captureLogger().logger as never };
    const a = stickyAssigner(() => ({ tasks: [1, 3] }))(config);
    const b = stickyAssigner(() => ({}))(config);
    expect(a.name).toBe(STICKY_ASSIGNER);
    const members = [
      { memberId: 'm-a', memberMetadata: a.protocol({ topics: ['tasks'] }).metadata },
      { memberId: 'm-b', memberMetadata: b.protocol({ topics: ['tasks'] }).metadata },
      // Another release's member whose metadata cannot be read still gets its share.
      { memberId: 'm-c', memberMetadata: Buffer.from([1, 2, 3]) },
    ];
    expect(MemberMetadata.decode(members[0]!.memberMetadata)?.topics).toEqual(['tasks']);
    const result = await a.assign({ members, topics: ['tasks'] });
    const of = (id: string): number[] => MemberAssignment.decode(result.find((entry) => entry.memberId === id)!.memberAssignment)!.assignment.tasks ?? [];
    expect(of('m-a').length).toBeGreaterThanOrEqual(1);
    expect([1, 3]).toEqual(expect.arrayContaining(of('m-a')));
    expect([...of('m-a'), ...of('m-b'), ...of('m-c')].sort()).toEqual([0, 1, 2, 3]);
  });
});
