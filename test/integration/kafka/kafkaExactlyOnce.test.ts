// Exactly once on Kafka under SIGKILL: a transform stage in a child process is killed mid-stream (after its first
// commit, so kills land inside transactions) and restarted; read_committed readers then find one output per input.
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { createKafkaBus } from '../../../backend/bus/kafka/kafkaBus.js';
import { captureLogger, waitFor } from '../../support/busFixtures.js';
import { committedOutputs, frameIds, sendFrames, totalLag } from '../../support/exactlyOnce.js';
import { createTopics, testKafkaSettings, uniqueName } from '../../support/kafkaFixtures.js';
import { repoRoot } from '../../support/runTcr.js';

const broker = inject('kafkaBroker');
const worker = new URL('../../support/workers/kafkaTransformWorker.ts', import.meta.url).pathname;

const workerLogs: string[] = [];

function startWorker(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, broker, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WORKER_LOG_LEVEL: process.env.WORKER_LOG_LEVEL ?? 'warn' } });
  child.stderr!.on('data', (chunk: Buffer) => workerLogs.push(chunk.toString()));
  return child;
}

/** Resolves true once the worker has committed a transaction, false if the group caught up first (nothing left to kill). */
function committedOrCaughtUp(child: ChildProcess, caughtUp: () => Promise<boolean>): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (result: boolean | Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(() => finish(new Error(`worker committed nothing within 90 s; its logs:\n${workerLogs.join('').slice(-4000)}`)), 90_000);
    child.stdout!.once('data', () => finish(true));
    child.once('exit', (code) => finish(new Error(`worker exited early with ${code}; its logs:\n${workerLogs.join('').slice(-4000)}`)));
    void (async () => {
      while (!done) {
        if (await caughtUp()) finish(false);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
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
    const inputs = 1200;
    await sendFrames(bus, input, inputs);
    const caughtUp = async (): Promise<boolean> => (await totalLag(bus, group, input)) === 0;

    const lagAfterKill: number[] = [];
    for (let round = 0; round < 3; round++) {
      const child = startWorker([input, output, dlq, group]);
      const committed = await committedOrCaughtUp(child, caughtUp);
      if (committed) await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400));
      await kill(child);
      lagAfterKill.push(await totalLag(bus, group, input));
      if (!committed) break;
    }
    const last = startWorker([input, output, dlq, group]);
    await waitFor(caughtUp, 90_000, 'the stage to catch up');
    await kill(last);

    const outputs = await committedOutputs(bus, output, inputs);
    // The kills really interrupted the stream: work was left after the first and done by a later worker.
    expect(lagAfterKill[0]).toBeGreaterThan(0);
    expect(lagAfterKill[0]).toBeLessThan(inputs);
    expect(outputs).toHaveLength(inputs);
    expect(new Set(outputs)).toEqual(frameIds(inputs));
    await bus.close();
  }, 300_000);
});
