// Polls a benchmark's condition until it holds, or fails the bench with what it was waiting for.
import { systemClock } from '../core/clock.js';

export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`bench timed out waiting for ${what}`);
    await systemClock.sleep(10);
  }
}
