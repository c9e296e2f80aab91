// Tells whether key frames alone come often enough for a camera's fps. A camera whose GOP is longer than its
// sampling interval, or irregular, would lose frames on the key-frame path; it has to decode every frame.
//
// Gaps are seen as frames arrive, and a machine at full load delivers late and then catches up in a burst:
// one long gap is not evidence (decoding every frame then would only add load, and at 50 cameras it did).
// Averages are: the mean of two gaps, or of five, stays near the interval through such a burst.

/** Intervals looked at for the average. */
const WINDOW = 5;
/** The mean of the last two gaps this many intervals long: the GOP is plainly too long. */
const SHORT_MEAN_FACTOR = 2.5;
/** The mean of the last five gaps this many intervals long: frames are missing. */
const MEAN_GAP_FACTOR = 1.25;
/** No frame for this many intervals: a very long GOP (the stall watchdog takes over much later). */
const SILENCE_FACTOR = 6;

export class KeyFrameCadence {
  private lastAtMs: number | null = null;
  private readonly gaps: number[] = [];

  constructor(private readonly intervalMs: number) {}

  /** Starts over (a new decoder: its first frame opens no gap). */
  reset(): void {
    this.lastAtMs = null;
    this.gaps.length = 0;
  }

  /** A frame delivered at `atMs`; returns why key frames do not suffice, or null. */
  frame(atMs: number): string | null {
    if (this.lastAtMs !== null) {
      this.gaps.push(atMs - this.lastAtMs);
      if (this.gaps.length > WINDOW) this.gaps.shift();
    }
    this.lastAtMs = atMs;
    const recent = meanOf(this.gaps.slice(-2));
    if (this.gaps.length >= 2 && recent > SHORT_MEAN_FACTOR * this.intervalMs) return this.describe(`key frames every ${seconds(recent)}`);
    const mean = meanOf(this.gaps);
    if (this.gaps.length === WINDOW && mean > MEAN_GAP_FACTOR * this.intervalMs) return this.describe(`key frames every ${seconds(mean)} on average`);
    return null;
  }

  /** Checked on a timer: a silence since the last frame that already shows the GOP is too long. */
  silence(nowMs: number): string | null {
    if (this.lastAtMs === null || nowMs - this.lastAtMs <= SILENCE_FACTOR * this.intervalMs) return null;
    return this.describe(`no key frame for ${seconds(nowMs - this.lastAtMs)}`);
  }

  private describe(what: string): string {
    return `${what}, the camera samples every ${seconds(this.intervalMs)}: decoding every frame`;
  }
}

const meanOf = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
