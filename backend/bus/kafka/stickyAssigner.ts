// Kafka's eager protocol has every member give up its partitions at each rebalance, and kafkajs's round-robin
// assigner deals them out afresh, so one member joining or leaving moved most partitions: each moved partition's
// work in flight was dropped and redone by its new owner, and its send slots waited a block. This assigner keeps
// each partition with the member that had it (members name theirs in their join metadata) and moves only as many
// as balance needs: when a member dies, only its partitions move; when one joins, it takes a share from the others.
import kafkajs, { type PartitionAssigner } from 'kafkajs';

export const STICKY_ASSIGNER = 'TcrStickyAssigner';
const VERSION = 1;

/** Topic → partitions, as a member holds them. */
export type Holdings = Record<string, readonly number[]>;

export interface Claimant {
  id: string;
  claimed: readonly number[];
}

/** `count` of the sorted `partitions`, evenly spread over them (every other one of a run, not its first half). */
function spreadOver(partitions: readonly number[], count: number): number[] {
  if (count >= partitions.length) return [...partitions];
  return Array.from({ length: count }, (_, index) => partitions[Math.floor((index * partitions.length) / count)]!);
}

/**
 * Balanced (counts differ by at most one) and sticky: a member keeps what it claimed up to its quota, and the
 * members that claimed most get the larger quotas. A partition claimed twice (a member dropped for silence that
 * has not noticed yet) goes to the first claimant by id; fencing keeps the outcome exactly once either way.
 */
export function stickyAssignment(members: readonly Claimant[], partitions: readonly number[]): Map<string, number[]> {
  const sorted = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (sorted.length === 0) return new Map();
  const exists = new Set(partitions);
  const taken = new Set<number>();
  const claims = new Map<string, number[]>();
  for (const member of sorted) {
    const valid = [...new Set(member.claimed)].filter((partition) => exists.has(partition) && !taken.has(partition)).sort((a, b) => a - b);
    for (const partition of valid) taken.add(partition);
    claims.set(member.id, valid);
  }
  const base = Math.floor(partitions.length / sorted.length);
  let larger = partitions.length - base * sorted.length;
  const byClaims = [...sorted].sort((a, b) => claims.get(b.id)!.length - claims.get(a.id)!.length);
  const quota = new Map(byClaims.map((member) => [member.id, base + (larger-- > 0 ? 1 : 0)]));
  const assignment = new Map<string, number[]>();
  const free: number[] = [...partitions].filter((partition) => !taken.has(partition));
  for (const member of sorted) {
    const claimed = claims.get(member.id)!;
    const keep = spreadOver(claimed, quota.get(member.id)!);
    free.push(...claimed.filter((partition) => !keep.includes(partition)));
    assignment.set(member.id, keep);
  }
  // Dealt in turn, not in runs: a member's send slots follow its partitions, and neighbouring partitions' slots
  // come one after another on every key (a run of them was bursts of 23 requests/s and lulls of 5 in one member).
  free.sort((a, b) => a - b);
  let turn = 0;
  const hasRoom = (id: string): boolean => assignment.get(id)!.length < quota.get(id)!;
  for (const partition of free) {
    while (!hasRoom(sorted[turn % sorted.length]!.id)) turn++;
    assignment.get(sorted[turn % sorted.length]!.id)!.push(partition);
    turn++;
  }
  for (const own of assignment.values()) own.sort((a, b) => a - b);
  return assignment;
}

function readMetadata(buffer: Buffer): { topics: string[]; userData: Buffer | null } | null {
  try {
    return kafkajs.AssignerProtocol.MemberMetadata.decode(buffer);
  } catch {
    return null;
  }
}

function holdingsOf(userData: Buffer | null | undefined): Holdings {
  if (!userData || userData.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(userData.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).map(([topic, partitions]) => [topic, Array.isArray(partitions) ? partitions.filter((partition): partition is number => Number.isInteger(partition)) : []]),
    );
  } catch {
    return {};
  }
}

/** Sticky first; round robin as well, so a group that still has members of an older release agrees on one. */
export function groupAssigners(held: () => Holdings): PartitionAssigner[] {
  return [stickyAssigner(held), kafkajs.PartitionAssigners.roundRobin];
}

/** `held`: what this member holds now, sent with every join so the leader can keep it where it is. */
export function stickyAssigner(held: () => Holdings): PartitionAssigner {
  const { MemberMetadata, MemberAssignment } = kafkajs.AssignerProtocol;
  return ({ cluster }) => ({
    name: STICKY_ASSIGNER,
    version: VERSION,
    async assign({ members, topics }) {
      const decoded = members.map((member) => {
        const metadata = readMetadata(member.memberMetadata);
        // Unreadable metadata: the member subscribed to something of the group's, so it gets a share of all of it.
        if (metadata === null) return { id: member.memberId, topics: new Set(topics), holdings: {} };
        return { id: member.memberId, topics: new Set(metadata.topics), holdings: holdingsOf(metadata.userData) };
      });
      const perMember = new Map<string, Record<string, number[]>>(decoded.map((member) => [member.id, {}]));
      for (const topic of topics) {
        const partitions = cluster.findTopicPartitionMetadata(topic).map((metadata) => metadata.partitionId);
        const subscribers = decoded.filter((member) => member.topics.has(topic)).map((member) => ({ id: member.id, claimed: member.holdings[topic] ?? [] }));
        for (const [id, assigned] of stickyAssignment(subscribers, partitions)) perMember.get(id)![topic] = assigned;
      }
      return [...perMember].map(([memberId, assignment]) => ({ memberId, memberAssignment: MemberAssignment.encode({ version: VERSION, assignment, userData: Buffer.alloc(0) }) }));
    },
    protocol({ topics }) {
      return { name: STICKY_ASSIGNER, metadata: MemberMetadata.encode({ version: VERSION, topics, userData: Buffer.from(JSON.stringify(held())) }) };
    },
  });
}
