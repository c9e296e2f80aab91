// Optional motion gating per camera (Frigate's idea): a frame that barely differs from the last one the detector
// saw is not run through inference. The difference is the mean absolute luma change on a coarse grid of the
// detection image, a few thousand samples: microseconds, against ~20 ms of inference.
import type { Frame } from './frame.js';

export interface MotionGateSettings {
  /** Mean absolute luma difference (0–255) at or below which a frame counts as still. */
  threshold: number;
  /** A still camera still gets an inference at least this often (its tracks and the wall stay current). */
  maxSkipMs: number;
}

const GRID_COLUMNS = 64;
const GRID_ROWS = 36;

export class MotionGate {
  private reference: Uint8Array | null = null;
  private referenceSize = '';
  private inferredAtMs = -Infinity;

  constructor(private readonly settings: MotionGateSettings) {}

  /** True when `image` needs inference; it then becomes the reference the next frames are compared with. */
  needsInference(image: Frame, atMs: number): boolean {
    const signature = lumaGrid(image);
    const size = `${image.width}x${image.height}`;
    const still = this.reference !== null && size === this.referenceSize && meanDifference(signature, this.reference) <= this.settings.threshold;
    if (still && atMs - this.inferredAtMs < this.settings.maxSkipMs) return false;
    this.reference = signature;
    this.referenceSize = size;
    this.inferredAtMs = atMs;
    return true;
  }
}

/** Luma (BT.601 weights) of the pixels at the nodes of a 64 × 36 grid over the image. */
function lumaGrid(image: Frame): Uint8Array {
  const grid = new Uint8Array(GRID_COLUMNS * GRID_ROWS);
  for (let row = 0; row < GRID_ROWS; row++) {
    const y = Math.min(image.height - 1, Math.floor(((row + 0.5) * image.height) / GRID_ROWS));
    for (let column = 0; column < GRID_COLUMNS; column++) {
      const x = Math.min(image.width - 1, Math.floor(((column + 0.5) * image.width) / GRID_COLUMNS));
      const at = (y * image.width + x) * 3;
      grid[row * GRID_COLUMNS + column] = (77 * image.data[at]! + 150 * image.data[at + 1]! + 29 * image.data[at + 2]!) >> 8;
    }
  }
  return grid;
}

function meanDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}
