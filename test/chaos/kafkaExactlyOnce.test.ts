import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { MESSAGE_SCHEMAS } from '../../backend/contracts/index.js';
import { createKafkaBus } from '../../backend/bus/kafka/kafkaBus.js';
import { captureLogger, taskMessage, waitFor } from '../support/busFixtures.js';
import { createTopics, testKafkaSettings, uniqueName } from '../support/kafkaFixtures.js';
import { repoRoot } from '../support/runTcr.js';

const broker = inject('kafkaBroker');
const worker = new URL('../support/workers/kafkaTransformWorker.ts', import.meta.url).pathname;

const workerLogs: string[] = [];

function startWorker(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, broker, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WORKER_LOG_LEVEL: 'warn' } });
  child.stderr!.on('data', (chunk: Buffer) => workerLogs.push(chunk.toString()));
  // Ready once it has committed its first transaction: killing it then interrupts real work.
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker committed nothing within 90 s; its logs:\n${workerLogs.join('').slice(-4000)}`)), 90_000);
    child.stdout!.once('data', () => {
      clearTimeout(timer);
      resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('kafka > exactly once under SIGKILL (real broker, real processes)', () => {
  it('holds exactly one output per input for read_committed readers, however often the stage is killed', async () => {
    const input = uniqueName('eos-in');
    const output = uniqueName('eos-out');
    const dlq = uniqueName('eos-dlq');
    const group = uniqueName('eos-expander');
    await createTopics(broker, [{ name: input, partitions: 4 }, { name: output, partitions: 2 }, { name: dlq, partitions: 1 }]);
    const bus = createKafkaBus({ settings: testKafkaSettings(broker), dlqTopic: dlq, logger: captureLogger().logger });
    const inputs = 600;
    await bus.producer().send(input, Array.from({ length: inputs }, (_, i) => ({ key: `cam-${i % 8}`, value: JSON.stringify(taskMessage(i, `cam-${i % 8}`)) })));

    const lagAfterKill: number[] = [];
    for (let round = 0; round < 3; round++) {
      const child = await startWorker([input, output, dlq, group]);
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 300));
      await kill(child);
      const lag = (await bus.lag(group, input)).reduce((sum, partition) => sum + partition.lag, 0);
      lagAfterKill.push(lag);
      if (lag === 0) break;
    }
    const last = await startWorker([input, output, dlq, group]);
    await waitFor(async () => (await bus.lag(group, input)).every((partition) => partition.lag === 0), 90_000, 'the stage to catch up');
    await kill(last);

    const outputs: string[] = [];
    const reader = uniqueName('eos-reader');
    await bus.subscribe({ group: reader, topic: output, schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'reader', handle: async (message) => void outputs.push(message.frame_id) });
    await waitFor(async () => outputs.length >= inputs && (await bus.lag(reader, output)).every((partition) => partition.lag === 0), 60_000, 'every output');
    expect(lagAfterKill[0]).toBeGreaterThan(0);
    expect(lagAfterKill[0]).toBeLessThan(inputs);
    expect(outputs).toHaveLength(inputs);
    expect(new Set(outputs).size).toBe(inputs);
    await bus.close();
  }, 240_000);
});
