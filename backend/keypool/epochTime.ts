// Epoch time for the send slots, read off the monotonic clock without Date.now()'s whole-millisecond steps: the
// slots of every instance are epoch times, but a grant and the check before it must agree to well under a ms.
import type { Clock } from '../core/clock.js';

/** The offset is re-read every this long, so NTP's slewing of the wall clock reaches the slots within seconds. */
const REFRESH_MS = 5000;

export interface EpochTime {
  /** The epoch ms of monotonic time `now`. */
  of(now: number): number;
}

export function createEpochTime(clock: Clock): EpochTime {
  // Date.now() is whole ms: now() − monotonic() lies in (offset − 1, offset]; the largest sample of a period is
  // within a fraction of a ms of the true offset, and it stays put for the period.
  let current = clock.now() - clock.monotonic();
  let candidate = current;
  let periodStart = clock.monotonic();
  return {
    of(now) {
      const sample = clock.now() - clock.monotonic();
      candidate = Math.max(candidate, sample);
      if (clock.monotonic() - periodStart >= REFRESH_MS) {
        current = candidate;
        candidate = sample;
        periodStart = clock.monotonic();
      }
      return now + current;
    },
  };
}
