// The simulator's own count of accepted requests over a sliding window, written independently of the key pool's
// limiter so that a bug in one cannot hide in the other. Also remembers the most it ever saw in one window.

export class RequestWindow {
  private times: number[] = [];
  /** Most accepted requests ever seen inside one window: the proof a benchmark reads. */
  maxSeen = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Requests accepted in (now - windowMs, now]. */
  count(now: number): number {
    this.times = this.times.filter((time) => time > now - this.windowMs);
    return this.times.length;
  }

  /** Milliseconds until one more request would be accepted (0 if now). */
  waitMs(now: number): number {
    if (this.count(now) < this.limit) return 0;
    return this.times[this.times.length - this.limit]! + this.windowMs - now;
  }

  /** Arrival times can be recorded slightly out of order (bodies finish reading at different moments). */
  accept(now: number): void {
    let index = this.times.length;
    while (index > 0 && this.times[index - 1]! > now) index--;
    this.times.splice(index, 0, now);
    this.maxSeen = Math.max(this.maxSeen, this.count(now));
  }
}
