// A benchmark's topics deleted at its end: a broker that kept every run's topics loads thousands of partitions at
// its next start (minutes on a loaded host).
import type { Kafka } from 'kafkajs';

export async function deleteTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteTopics({ topics, timeout: 10_000 });
  } catch {
    // A broker that is down at the end keeps the run's topics; they are named by run and expire by retention.
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
