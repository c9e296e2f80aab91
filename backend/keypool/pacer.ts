// Spreads grants evenly (one per interval) so a key never bursts at the start of a window; providers throttle bursts.

export class Pacer {
  private nextSlot = Number.NEGATIVE_INFINITY;

  constructor(public intervalMs: number) {}

  earliestAt(now: number): number {
    return Math.max(now, this.nextSlot);
  }

  /**
   * Keeps the grid when a grant is a little late (a late timer does not push every later grant back);
   * after an idle gap it starts a new grid from now. Exactness is the sliding windows' job, not this one's.
   */
  take(now: number): void {
    const onGrid = this.nextSlot >= now - this.intervalMs;
    this.nextSlot = (onGrid ? this.nextSlot : now) + this.intervalMs;
  }
}
