// A consumer's partitions as the Bus reports them (onAssignment), held only while no other member can have them.
// Kafka's eager rebalance revokes every partition before it assigns, but the coordinator hands this member's
// partitions to another only in an assignment this member receives at the same moment, or after it dropped this
// member for silence. So the partitions are held through a rebalance until the new assignment arrives (the ones
// that moved are dropped then; the key pool waits a block before it uses a gained one's slots), and only as long
// as the coordinator cannot have dropped this member: a session timeout after its last heartbeat or join, less a
// heartbeat interval of margin for the answer's way back. Reporting none for the whole rebalance, as this first
// did, left every instance's slots unused for the seconds the group took to rejoin, twice per failover.
import type { Consumer } from 'kafkajs';
import type { Logger } from '../../core/logger.js';
import type { Assignment } from '../bus.js';

export interface AssignmentReports {
  /** Reports that this member owns nothing any more (it stopped). */
  stopped(): void;
}

export interface AssignmentReportDeps {
  partitionCount(topic: string): Promise<number>;
  onAssignment(assignment: Assignment): void;
  logger: Logger;
  /** How long after its last heartbeat or join this member may still hold its partitions. */
  holdMs: number;
}

function sameAssignment(a: Assignment | null, b: Assignment): boolean {
  return a !== null && a.total === b.total && a.partitions.length === b.partitions.length && a.partitions.every((partition, index) => partition === b.partitions[index]);
}

export function reportAssignments(consumer: Consumer, topic: string, deps: AssignmentReportDeps): AssignmentReports {
  let total: number | null = null;
  let held: number[] = [];
  let lapsed = false;
  let stopped = false;
  let reported: Assignment | null = null;
  let lapseTimer: NodeJS.Timeout | undefined;
  // A later join must not be overtaken by an earlier one's report, which may wait for the partition count.
  let generation = 0;

  const report = (partitions: readonly number[]): void => {
    const assignment = { partitions, total: Math.max(total ?? 1, ...partitions.map((partition) => partition + 1)) };
    if (sameAssignment(reported, assignment)) return;
    reported = assignment;
    deps.onAssignment(assignment);
  };

  const alive = (): void => {
    if (stopped) return;
    clearTimeout(lapseTimer);
    lapseTimer = setTimeout(() => {
      lapsed = true;
      if (held.length > 0) deps.logger.warn({ topic, hold_ms: deps.holdMs }, 'no answer from the group coordinator for a session: this member may have been dropped, so it gives up its partitions until it hears again');
      report([]);
    }, deps.holdMs);
    lapseTimer.unref();
    if (lapsed && total !== null) {
      lapsed = false;
      report(held);
    }
  };

  const countPartitions = (joined: number): Promise<void> =>
    deps
      .partitionCount(topic)
      .then((count) => {
        total = count;
      })
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not read the partition count; the last one known is used'))
      .finally(() => {
        if (joined === generation && !stopped && !lapsed) report(held);
      });

  // A heartbeat that succeeds says the coordinator still counts this member in the generation it joined.
  consumer.on(consumer.events.HEARTBEAT, alive);
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const joined = ++generation;
    held = [...(payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
    lapsed = false;
    alive();
    // Partitions that moved must be dropped now, not after a metadata request: their new owner waits only a block.
    if (total !== null) report(held);
    void countPartitions(joined);
  });
  return {
    stopped() {
      stopped = true;
      generation++;
      clearTimeout(lapseTimer);
      report([]);
    },
  };
}
