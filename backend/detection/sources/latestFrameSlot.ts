// Backpressure for a camera: holds only the newest frame; a frame replaced before it was taken is counted as skipped.
import type { CapturedFrame } from './frameSource.js';

export class LatestFrameSlot {
  private frame: CapturedFrame | null = null;
  private waiter: ((frame: CapturedFrame | null) => void) | null = null;
  private closed = false;
  skipped = 0;

  put(frame: CapturedFrame): void {
    if (this.closed) return;
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter(frame);
      return;
    }
    if (this.frame !== null) {
      this.skipped++;
      this.frame.release();
    }
    this.frame = frame;
  }

  /** The newest frame not yet taken; waits for one; null once closed. */
  take(): Promise<CapturedFrame | null> {
    if (this.frame !== null) {
      const frame = this.frame;
      this.frame = null;
      return Promise.resolve(frame);
    }
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  close(): void {
    this.closed = true;
    this.frame = null;
    this.waiter?.(null);
    this.waiter = null;
  }
}
