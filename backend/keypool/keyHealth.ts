// One key's health: healthy, cooling after a 429, circuit open after repeated server failures, or disabled.
import type { LeaseOutcome } from './outcome.js';

export type KeyState = 'healthy' | 'cooling' | 'open' | 'half_open' | 'disabled';

export interface HealthPolicy {
  defaultCooldownMs: number;
  maxCooldownMs: number;
  failureThreshold: number;
  openMs: number;
  maxOpenMs: number;
}

export interface StateChange {
  from: KeyState;
  to: KeyState;
  reason: string;
}

export class KeyHealth {
  private current: KeyState = 'healthy';
  private until = 0;
  private consecutiveRateLimits = 0;
  private consecutiveFailures = 0;
  private timesOpened = 0;
  private probeInFlight = false;
  lastError: string | null = null;

  constructor(private policy: HealthPolicy) {}

  setPolicy(policy: HealthPolicy): void {
    this.policy = policy;
  }

  /** The state as of `now`: cooling and open periods end by themselves. */
  state(now: number): KeyState {
    if ((this.current === 'cooling' || this.current === 'open') && now >= this.until) {
      return this.current === 'open' ? 'half_open' : 'healthy';
    }
    return this.current;
  }

  /** Earliest time this key may be granted, as far as health goes; Infinity until a probe or a reload. */
  availableAt(now: number): number {
    const state = this.state(now);
    if (state === 'disabled') return Number.POSITIVE_INFINITY;
    if (state === 'half_open') return this.probeInFlight ? Number.POSITIVE_INFINITY : now;
    if (state === 'cooling' || state === 'open') return this.until;
    return now;
  }

  cooldownRemaining(now: number): number {
    const state = this.state(now);
    return state === 'cooling' || state === 'open' ? Math.max(0, this.until - now) : 0;
  }

  /** Records a grant; returns true when it is the single half-open probe whose outcome decides the breaker. */
  onGranted(now: number): boolean {
    const state = this.state(now);
    if (state === 'half_open') {
      this.current = 'half_open';
      this.probeInFlight = true;
      return true;
    }
    if (state === 'healthy') this.current = 'healthy';
    return false;
  }

  /**
   * Applies an outcome; returns the state change it caused, if any. Only a probe closes an open circuit, and a
   * success granted before a 429 does not end the cooldown that 429 started.
   */
  onOutcome(outcome: LeaseOutcome, now: number, isProbe: boolean): StateChange | null {
    const from = this.state(now);
    if (isProbe) this.probeInFlight = false;
    if (outcome.error) this.lastError = outcome.error;
    switch (outcome.kind) {
      case 'success':
      case 'client':
        this.consecutiveFailures = 0;
        if (from === 'healthy') this.consecutiveRateLimits = 0;
        if (!(from === 'half_open' && isProbe)) return null;
        this.timesOpened = 0;
        this.consecutiveRateLimits = 0;
        return this.moveTo(from, 'healthy', 0, 'probe succeeded');
      case 'cancelled':
        return null;
      case 'rate_limited': {
        this.consecutiveRateLimits += 1;
        const base = outcome.retryAfterMs ?? this.policy.defaultCooldownMs;
        const cooldown = Math.min(base * 2 ** (this.consecutiveRateLimits - 1), Math.max(this.policy.maxCooldownMs, base));
        return this.moveTo(from, 'cooling', Math.max(this.until, now + cooldown), `HTTP 429, cooling ${Math.round(cooldown / 1000)} s`);
      }
      case 'auth':
        return this.moveTo(from, 'disabled', Number.POSITIVE_INFINITY, `disabled after HTTP ${outcome.status ?? '?'}`);
      case 'server': {
        this.consecutiveFailures += 1;
        if (!(from === 'half_open' && isProbe) && this.consecutiveFailures < this.policy.failureThreshold) return null;
        if (from === 'open') return null;
        this.timesOpened += 1;
        const openFor = Math.min(this.policy.openMs * 2 ** (this.timesOpened - 1), this.policy.maxOpenMs);
        return this.moveTo(from, 'open', now + openFor, `${this.consecutiveFailures} consecutive failures, circuit open ${Math.round(openFor / 1000)} s`);
      }
    }
  }

  private moveTo(from: KeyState, to: KeyState, until: number, reason: string): StateChange | null {
    if (from === 'disabled') return null;
    this.current = to;
    this.until = until;
    return from === to && to === 'healthy' ? null : { from, to, reason };
  }
}
