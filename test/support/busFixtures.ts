// Helpers for bus tests: valid task messages, a quiet logger, waiting for a condition.
import { Writable } from 'node:stream';
import type { BusMessage, Producer } from '../../backend/bus/bus.js';
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

/**
 * Sends one message until the bus accepts it, as a stage does across a broker outage; reports each
 * attempt's duration and whether it failed, so a test can tell that the outage was really spanned.
 */
export async function sendUntilAccepted(producer: Producer, topic: string, message: BusMessage, onAttempt: (ms: number, failed: boolean) => void = () => undefined): Promise<void> {
  for (;;) {
    const startedAt = Date.now();
    try {
      await producer.send(topic, [message]);
      onAttempt(Date.now() - startedAt, false);
      return;
    } catch {
      onAttempt(Date.now() - startedAt, true);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
