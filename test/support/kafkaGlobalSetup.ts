// Starts the project's single-node Kafka broker once for the Kafka test project, waits for it, stops it after.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

const port = process.env.TCR_TEST_KAFKA_PORT ?? '39092';
const dataDir = join(tmpdir(), `tcr-test-kafka-${port}`);
const script = new URL('../../tools/kafka/kafka.sh', import.meta.url).pathname;
const env = { ...process.env, KAFKA_PORT: port, KAFKA_DATA_DIR: dataDir };

function kafka(command: 'start' | 'stop' | 'status'): string {
  return execFileSync('bash', [script, command], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

export default function setup(project: TestProject): () => void {
  let startedHere = false;
  try {
    kafka('status');
  } catch {
    rmSync(dataDir, { recursive: true, force: true });
    process.stdout.write(kafka('start'));
    startedHere = true;
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
