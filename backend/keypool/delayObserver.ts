// What this process observes of the delay between a grant and its request leaving: the measured grant-to-send
// times and the event loop's delay (callbacks waiting behind other work). What matters to a provider's window is
// their spread, not their size: requests that all leave 20 ms after their grant keep the slots' spacing.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface DelayObserver {
  /** Recent spread (p99 − p1) of grant→send delay, ms. */
  spreadMs(): number;
  /** One measured grant-to-send time. */
  recordSend(delayMs: number): void;
  close(): void;
}

const SEND_SAMPLES = 256;
const LOOP_WINDOW_MS = 10_000;
const NS_PER_MS = 1e6;

/** The larger of the send delays' spread (last SEND_SAMPLES) and the event loop delay's (last 10–20 s). */
export function createDelayObserver(): DelayObserver {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let previousLoopSpread = 0;
  const loopSpread = (): number => (loop.count > 0 ? (loop.percentile(99) - loop.min) / NS_PER_MS : 0);
  const rotate = setInterval(() => {
    previousLoopSpread = loopSpread();
    loop.reset();
  }, LOOP_WINDOW_MS);
  rotate.unref();
  const sends = new Float64Array(SEND_SAMPLES);
  let sent = 0;
  let sendSpread: number | null = 0;
  return {
    spreadMs() {
      if (sendSpread === null) {
        const sorted = [...sends.subarray(0, Math.min(sent, SEND_SAMPLES))].sort((a, b) => a - b);
        sendSpread = sorted[Math.floor((sorted.length - 1) * 0.99)]! - sorted[Math.floor((sorted.length - 1) * 0.01)]!;
      }
      return Math.max(previousLoopSpread, loopSpread(), sendSpread);
    },
    recordSend(delayMs) {
      sends[sent % SEND_SAMPLES] = delayMs;
      sent++;
      sendSpread = null;
    },
    close() {
      clearInterval(rotate);
      loop.disable();
    },
  };
}

/** A fixed spread, for tests on a fake clock. */
export function fixedDelay(spreadMs: number): DelayObserver {
  return { spreadMs: () => spreadMs, recordSend: () => undefined, close: () => undefined };
}
