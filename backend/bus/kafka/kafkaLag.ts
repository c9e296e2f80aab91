// Lag per partition of a consumer group: committed position against the last stable offset (what a
// read_committed consumer can reach), so open transactions do not count and a caught-up group shows 0.
import type { Admin } from 'kafkajs';
import type { PartitionLag } from '../bus.js';

export async function readLag(admin: Admin, group: string, topic: string): Promise<PartitionLag[]> {
  const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId: group, topics: [topic] })]);
  const positions = new Map((committed?.partitions ?? []).map((partition) => [partition.partition, partition.offset]));
  return ends
    .map(({ partition, offset, low }) => {
      const position = positions.get(partition) ?? '-1';
      const start = position === '-1' ? BigInt(low) : BigInt(position);
      const lag = BigInt(offset) - start;
      return { group, topic, partition, committed: position, end: offset, lag: Number(lag > 0n ? lag : 0n) };
    })
    .sort((a, b) => a.partition - b.partition);
}
