// Spreads grants evenly (one per interval) so a key never bursts at the start of a window; providers throttle bursts.

export class Pacer {
  private nextSlot = Number.NEGATIVE_INFINITY;

  constructor(public intervalMs: number) {}

  earliestAt(now: number): number {
    return Math.max(now, this.nextSlot);
  }

  /**
   * Keeps the grid when a grant is a little late (a late timer does not push every later grant back), but
   * restarts it from now when the grant is late by half an interval or more (an idle key, or one a window
   * held back): catching up there would send two requests back to back. Exactness is the windows' job.
   */
  take(now: number): void {
    const onGrid = now - this.nextSlot < this.intervalMs / 2;
    this.nextSlot = (onGrid ? this.nextSlot : now) + this.intervalMs;
  }
}
