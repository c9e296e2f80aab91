// Starts the project's single-node Kafka broker once for the Kafka test project, waits for it, stops it after.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import type { TestProject } from 'vitest/node';

const port = process.env.TCR_TEST_KAFKA_PORT ?? '39092';
const dataDir = join(tmpdir(), `tcr-test-kafka-${port}`);
const script = new URL('../../tools/kafka/kafka.sh', import.meta.url).pathname;
const env = { ...process.env, KAFKA_PORT: port, KAFKA_DATA_DIR: dataDir };

function kafka(command: 'start' | 'stop' | 'status'): string {
  return execFileSync('bash', [script, command], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Loads the group and transaction coordinators once, so the first test does not pay (and time) their start-up. */
async function warmUp(broker: string): Promise<void> {
  const kafka = new kafkajs.Kafka({ brokers: [broker], logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  if (!(await admin.listTopics()).includes('warm-up')) {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'warm-up', numPartitions: 1, replicationFactor: 1 }] });
  }
  await admin.disconnect();
  const producer = kafka.producer({ transactionalId: 'warm-up', idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const transaction = await producer.transaction();
  await transaction.send({ topic: 'warm-up', messages: [{ value: 'x' }] });
  await transaction.sendOffsets({ consumerGroupId: 'warm-up', topics: [{ topic: 'warm-up', partitions: [{ partition: 0, offset: '1' }] }] });
  await transaction.commit();
  await producer.disconnect();
}

export default async function setup(project: TestProject): Promise<() => void> {
  let startedHere = false;
  try {
    kafka('status');
  } catch {
    rmSync(dataDir, { recursive: true, force: true });
    process.stdout.write(kafka('start'));
    startedHere = true;
    for (let attempt = 1; ; attempt++) {
      try {
        await warmUp(`127.0.0.1:${port}`);
        break;
      } catch (error) {
        // A freshly formatted broker answers NOT_COORDINATOR until its internal topics are loaded.
        if (attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
  project.provide('kafkaBroker', `127.0.0.1:${port}`);
  return () => {
    if (startedHere) kafka('stop');
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBroker: string;
  }
}
