import { describe, expect, it } from 'vitest';
import { Pacer } from '../../../backend/keypool/pacer.js';
import { RateLimiter } from '../../../backend/keypool/rateLimiter.js';

function grantTimes(limiter: RateLimiter, untilMs: number): number[] {
  const times: number[] = [];
  let now = 0;
  while (now < untilMs) {
    const at = limiter.earliestAt(now, 1);
    if (!Number.isFinite(at) || at >= untilMs) break;
    now = at;
    limiter.record(now, 1);
    times.push(now);
  }
  return times;
}

describe('keypool > rateLimiter', () => {
  it('paces evenly at the slower of QPS and RPM, widened by the margin', () => {
    const limiter = new RateLimiter({ perSecond: 5, perMinute: 100, tokensPerMinute: null }, 0.02, 1);
    const times = grantTimes(limiter, 10_000);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeCloseTo(612, 0);
    expect(limiter.effective().ratePerSecond).toBeCloseTo(100 / 60);
  });

  it('counts the first request after an idle gap twice in its second, so a slow cold request cannot crowd the next ones', () => {
    const limiter = new RateLimiter({ perSecond: 5, perMinute: 300, tokensPerMinute: null }, 0.02, 1);
    const times = grantTimes(limiter, 3000);
    expect(times.filter((time) => time < 1020)).toHaveLength(4);
    expect(times.filter((time) => time >= 1020 && time < 2040)).toHaveLength(5);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(204);
  });

  it('scales every limit by the share and stops entirely at share 0', () => {
    const limiter = new RateLimiter({ perSecond: 10, perMinute: 600, tokensPerMinute: 10_000 }, 0, 0.25);
    expect(limiter.effective()).toMatchObject({ qps: 2.5, rpm: 150, tpm: 2500 });
    limiter.configure({ perSecond: 10, perMinute: 600, tokensPerMinute: null }, 0, 0);
    expect(limiter.earliestAt(0, 1)).toBe(Number.POSITIVE_INFINITY);
  });

  it('holds a token budget per minute', () => {
    const limiter = new RateLimiter({ perSecond: 100, perMinute: 6000, tokensPerMinute: 3000 }, 0, 1);
    limiter.record(0, 2000);
    expect(limiter.earliestAt(20, 1500)).toBe(60_000);
    expect(limiter.earliestAt(20, 900)).toBe(20);
  });

  it('keeps the pacing grid when a grant is a little late, and restarts it after an idle gap', () => {
    const pacer = new Pacer(200);
    pacer.take(0);
    expect(pacer.earliestAt(0)).toBe(200);
    pacer.take(215);
    expect(pacer.earliestAt(215)).toBe(400);
    pacer.take(550);
    expect(pacer.earliestAt(550)).toBe(750);
    pacer.take(5000);
    expect(pacer.earliestAt(5000)).toBe(5200);
  });
});
