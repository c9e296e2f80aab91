// A consumer's partitions as the Bus reports them (onAssignment): revoke before assign. None as soon as kafkajs
// sees a rebalance begin, before this member rejoins and so before any other member can be given its partitions;
// its new share once it has joined; none when it stops.
import type { Consumer } from 'kafkajs';
import type { Logger } from '../../core/logger.js';
import type { Assignment } from '../bus.js';

export interface AssignmentReports {
  /** Reports that this member owns nothing any more (it stopped). */
  stopped(): void;
}

export function reportAssignments(
  consumer: Consumer,
  topic: string,
  deps: { partitionCount(topic: string): Promise<number>; onAssignment(assignment: Assignment): void; logger: Logger },
): AssignmentReports {
  let total = 1;
  let stopped = false;
  // A later rebalance must not be overtaken by an earlier join's report, which waits for the partition count.
  let generation = 0;
  consumer.on(consumer.events.REBALANCING, () => {
    generation++;
    deps.onAssignment({ partitions: [], total });
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const joined = ++generation;
    const partitions = [...(payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
    deps
      .partitionCount(topic)
      .then((count) => (total = count))
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not read the partition count; the last one known is used'))
      .finally(() => {
        if (joined !== generation || stopped) return;
        deps.onAssignment({ partitions, total: Math.max(total, ...partitions.map((partition) => partition + 1)) });
      });
  });
  return {
    stopped() {
      stopped = true;
      generation++;
      deps.onAssignment({ partitions: [], total });
    },
  };
}
