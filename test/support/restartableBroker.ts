// A broker of a test's own, on its own port and data dir, that the test may stop and start again
// (the shared test broker must not suffer that). Ports step by 2: kafka.sh puts the controller on port + 1.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTopics } from './kafkaFixtures.js';

const script = new URL('../../tools/kafka/kafka.sh', import.meta.url).pathname;

export interface RestartableBroker {
  address: string;
  /** kafka.sh, and the environment that makes it act on this broker (for a process that stops and starts it). */
  script: string;
  env: Record<string, string>;
  start(): void;
  stop(): void;
  /** Stops it and removes its data. */
  destroy(): void;
  /** createTopics, retried while a fresh broker's controller settles. */
  createTopics(topics: { name: string; partitions: number }[]): Promise<void>;
}

/** `env`: extra kafka.sh settings, e.g. the SASL_SSL listener's. */
export function restartableBroker(port: number, env: Record<string, string> = {}): RestartableBroker {
  const dataDir = join(tmpdir(), `tcr-test-kafka-${port}`);
  const brokerEnv = { ...env, KAFKA_PORT: String(port), KAFKA_DATA_DIR: dataDir };
  const run = (command: 'start' | 'stop'): void => {
    execFileSync('bash', [script, command], { env: { ...process.env, ...brokerEnv }, stdio: ['ignore', 'ignore', 'inherit'] });
  };
  const address = `127.0.0.1:${port}`;
  return {
    address,
    script,
    env: brokerEnv,
    start: () => run('start'),
    stop: () => run('stop'),
    destroy() {
      run('stop');
      rmSync(dataDir, { recursive: true, force: true });
    },
    async createTopics(topics) {
      for (let attempt = 1; ; attempt++) {
        try {
          await createTopics(address, topics);
          return;
        } catch (error) {
          if (attempt >= 10) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    },
  };
}
