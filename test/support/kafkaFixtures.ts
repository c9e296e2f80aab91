// Real-broker helpers: settings for the test broker, fresh topics per test, a read_committed reader.
import kafkajs from 'kafkajs';
import { appConfigSchema } from '../../backend/config/index.js';
import type { KafkaSettings } from '../../backend/bus/kafka/kafkaClient.js';

export function testKafkaSettings(broker: string): KafkaSettings {
  return appConfigSchema.parse({ kafka: { brokers: [broker], session_timeout_ms: 6000, rebalance_timeout_ms: 10_000, client_id: 'tcr-test' } }).kafka;
}

let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export async function createTopics(broker: string, topics: { name: string; partitions: number }[]): Promise<void> {
  const admin = new kafkajs.Kafka({ brokers: [broker], logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic: topic.name, numPartitions: topic.partitions, replicationFactor: 1 })) });
  } finally {
    await admin.disconnect();
  }
}
