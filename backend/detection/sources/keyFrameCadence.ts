// Tells whether key frames alone come often enough for a camera's fps. A camera whose GOP is longer than its
// sampling interval, or irregular, would lose frames on the key-frame path; it has to decode every frame.

/** Intervals looked at for the average. */
const WINDOW = 5;
/**
 * One gap this many intervals long: the GOP is too long, no need to wait for an average. Generous, because gaps
 * are seen on arrival: a machine at full load delays a frame by a second now and then, and decoding every
 * frame then would only add load.
 */
const MAX_GAP_FACTOR = 3.5;
/** An average this many intervals long: frames are missing. */
const MEAN_GAP_FACTOR = 1.25;

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
    const longest = Math.max(0, ...this.gaps);
    if (longest > MAX_GAP_FACTOR * this.intervalMs) return this.describe(`key frames ${seconds(longest)} apart`);
    const mean = this.gaps.reduce((sum, gap) => sum + gap, 0) / Math.max(1, this.gaps.length);
    if (this.gaps.length === WINDOW && mean > MEAN_GAP_FACTOR * this.intervalMs) return this.describe(`key frames every ${seconds(mean)} on average`);
    return null;
  }

  /** Checked on a timer: a silence since the last frame that already shows the GOP is too long. */
  silence(nowMs: number): string | null {
    if (this.lastAtMs === null || nowMs - this.lastAtMs <= MAX_GAP_FACTOR * this.intervalMs) return null;
    return this.describe(`no key frame for ${seconds(nowMs - this.lastAtMs)}`);
  }

  private describe(what: string): string {
    return `${what}, the camera samples every ${seconds(this.intervalMs)}: decoding every frame`;
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
