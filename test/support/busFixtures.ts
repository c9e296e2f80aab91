// Helpers for bus tests: valid task messages, a quiet logger, waiting for a condition.
import { Writable } from 'node:stream';
import { createTaskId, type AssessmentTaskMessage } from '../../backend/contracts/index.js';
import { createLogger, type Logger } from '../../backend/core/logger.js';
import { assessmentTask } from './messageFixtures.js';

export function taskMessage(index: number, camera = 'cam-001'): AssessmentTaskMessage {
  const frameId = `frame-${index}`;
  return { ...assessmentTask(), camera_id: camera, frame_id: frameId, task_id: createTaskId(camera, frameId, 'g1') };
}

/** A logger whose lines are kept for assertions instead of printed. */
export function captureLogger(): { logger: Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', format: 'json', destination: sink }), lines: () => chunks.join('').split('\n').filter(Boolean) };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
