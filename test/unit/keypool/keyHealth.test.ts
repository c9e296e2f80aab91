import { describe, expect, it } from 'vitest';
import { KeyHealth, type HealthPolicy } from '../../../backend/keypool/keyHealth.js';
import type { LeaseOutcome } from '../../../backend/keypool/outcome.js';

const policy: HealthPolicy = { defaultCooldownMs: 60_000, maxCooldownMs: 600_000, failureThreshold: 3, openMs: 30_000, maxOpenMs: 300_000 };
const outcome = (kind: LeaseOutcome['kind'], extra: Partial<LeaseOutcome> = {}): LeaseOutcome => ({ kind, latencyMs: 100, status: null, ...extra });

describe('keypool > keyHealth', () => {
  it('cools down for Retry-After after a 429, then is healthy again', () => {
    const health = new KeyHealth(policy);
    expect(health.onOutcome(outcome('rate_limited', { status: 429, retryAfterMs: 2000 }), 0, false)).toMatchObject({ from: 'healthy', to: 'cooling' });
    expect(health.state(1999)).toBe('cooling');
    expect(health.availableAt(1000)).toBe(2000);
    expect(health.state(2000)).toBe('healthy');
  });

  it('uses default_cooldown without Retry-After and doubles on repeated 429s up to the cap', () => {
    const health = new KeyHealth(policy);
    health.onOutcome(outcome('rate_limited'), 0, false);
    expect(health.cooldownRemaining(0)).toBe(60_000);
    health.onOutcome(outcome('rate_limited'), 60_000, false);
    expect(health.cooldownRemaining(60_000)).toBe(120_000);
    for (let i = 0; i < 6; i++) health.onOutcome(outcome('rate_limited'), 200_000, false);
    expect(health.cooldownRemaining(200_000)).toBe(600_000);
  });

  it('does not end a cooldown because a request granted before the 429 succeeded', () => {
    const health = new KeyHealth(policy);
    health.onOutcome(outcome('rate_limited', { retryAfterMs: 5000 }), 0, false);
    health.onOutcome(outcome('success'), 10, false);
    expect(health.state(10)).toBe('cooling');
  });

  it('is disabled for good by a 401 or 403, whatever comes after', () => {
    const health = new KeyHealth(policy);
    expect(health.onOutcome(outcome('auth', { status: 401 }), 0, false)).toMatchObject({ to: 'disabled' });
    health.onOutcome(outcome('success'), 1, false);
    health.onOutcome(outcome('rate_limited'), 2, false);
    expect(health.state(10 ** 9)).toBe('disabled');
    expect(health.availableAt(0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('opens the circuit after consecutive server failures, probes once half-open and closes on success', () => {
    const health = new KeyHealth(policy);
    expect(health.onOutcome(outcome('server', { status: 503 }), 0, false)).toBeNull();
    health.onOutcome(outcome('success'), 1, false);
    health.onOutcome(outcome('server'), 2, false);
    health.onOutcome(outcome('server'), 3, false);
    expect(health.onOutcome(outcome('server'), 4, false)).toMatchObject({ to: 'open' });
    expect(health.availableAt(5)).toBe(30_004);
    expect(health.state(30_004)).toBe('half_open');
    expect(health.onGranted(30_004)).toBe(true);
    expect(health.availableAt(30_005)).toBe(Number.POSITIVE_INFINITY);
    expect(health.onOutcome(outcome('success'), 30_100, true)).toMatchObject({ from: 'half_open', to: 'healthy' });
  });

  it('reopens for twice as long when the probe fails', () => {
    const health = new KeyHealth(policy);
    for (let i = 0; i < 3; i++) health.onOutcome(outcome('server'), 0, false);
    health.onGranted(30_000);
    expect(health.onOutcome(outcome('server'), 30_000, true)).toMatchObject({ from: 'half_open', to: 'open' });
    expect(health.cooldownRemaining(30_000)).toBe(60_000);
  });

  it('lets a cancelled probe be retried', () => {
    const health = new KeyHealth(policy);
    for (let i = 0; i < 3; i++) health.onOutcome(outcome('server'), 0, false);
    health.onGranted(30_000);
    health.onOutcome(outcome('cancelled'), 30_001, true);
    expect(health.availableAt(30_002)).toBe(30_002);
  });
});
