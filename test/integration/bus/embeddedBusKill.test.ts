import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MESSAGE_SCHEMAS } from '../../../backend/contracts/index.js';
import { createEmbeddedBus } from '../../../backend/bus/embedded/embeddedBus.js';
import { useTempDir } from '../../support/tempDir.js';
import { captureLogger, taskMessage, waitFor } from '../../support/busFixtures.js';
import { repoRoot } from '../../support/runTcr.js';

const worker = new URL('../../support/workers/embeddedTransformWorker.ts', import.meta.url).pathname;

function startWorker(path: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, path], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('bus > embedded under SIGKILL (real processes, real SQLite file)', () => {
  const temp = useTempDir();

  it('yields exactly one output per input however often the stage is killed mid-stream', async () => {
    const path = temp.path('bus.sqlite');
    const bus = createEmbeddedBus({ path, dlqTopic: 'dlq', retentionMs: 3_600_000, maxBytes: 1 << 30, maxMessageBytes: 1 << 20, logger: captureLogger().logger, pollMs: 20 });
    const inputs = 400;
    await bus.producer().send('in', Array.from({ length: inputs }, (_, i) => ({ key: null, value: JSON.stringify(taskMessage(i)) })));
    const lagAfterKill: number[] = [];
    for (let round = 0; round < 5; round++) {
      const child = await startWorker(path);
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 100));
      await kill(child);
      const { lag } = (await bus.lag('expander', 'in'))[0]!;
      lagAfterKill.push(lag);
      if (lag === 0) break;
    }
    const last = await startWorker(path);
    await waitFor(async () => (await bus.lag('expander', 'in'))[0]!.lag === 0, 30_000, 'the stage to catch up');
    await kill(last);

    const outputs: string[] = [];
    await bus.subscribe({ group: 'checker', topic: 'out', schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'checker', handle: async (message) => void outputs.push(message.frame_id) });
    await waitFor(() => outputs.length >= inputs, 15_000, 'all outputs');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The stage really was killed with work in flight, more than once.
    expect(lagAfterKill.filter((lag) => lag > 0).length).toBeGreaterThanOrEqual(2);
    expect(lagAfterKill[0]).toBeLessThan(inputs);
    expect(outputs).toHaveLength(inputs);
    expect(new Set(outputs).size).toBe(inputs);
    await bus.close();
  }, 90_000);
});
