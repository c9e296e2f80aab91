// Lag per partition of a consumer group: committed position against the last stable offset (what a
// read_committed consumer can reach), so open transactions do not count and a caught-up group shows 0.
import type { Admin } from 'kafkajs';
import { AppError } from '../../core/errors.js';
import { retry } from '../../core/retry.js';
import type { PartitionLag } from '../bus.js';

/**
 * kafkajs sometimes gets a ListOffsets answer without the topic and fails with a TypeError (kafkajs issue 461,
 * seen once in CI on a topic just written to); asking again answers.
 */
function topicEnds(admin: Admin, topic: string): ReturnType<Admin['fetchTopicOffsets']> {
  return retry(
    async () => {
      try {
        return await admin.fetchTopicOffsets(topic);
      } catch (error) {
        if (error instanceof TypeError) throw new AppError('kafka_offsets_incomplete', `the broker's offsets of ${topic} came back incomplete`, { retriable: true, cause: error });
        throw error;
      }
    },
    { attempts: 3, initialDelayMs: 100, maxDelayMs: 400 },
  );
}

export async function readLag(admin: Admin, group: string, topic: string): Promise<PartitionLag[]> {
  const [ends, [committed]] = await Promise.all([topicEnds(admin, topic), admin.fetchOffsets({ groupId: group, topics: [topic] })]);
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
