// Windowed rate limits: an account's, and a key's tokens (a key's requests go by its send slots). Exact sliding
// windows (per second, per minute, tokens per minute) plus a pacer, scaled by this instance's share of the
// partitions and widened by a safety margin against jitter.
import { Pacer } from './pacer.js';
import { SlidingWindow, type EntryHandle } from './slidingWindow.js';

export interface RateSpec {
  perSecond: number | null;
  perMinute: number | null;
  tokensPerMinute: number | null;
}

export interface EffectiveRates {
  qps: number | null;
  rpm: number | null;
  tpm: number | null;
  /** Sustained requests per second these limits allow (Infinity when only tokens are limited). */
  ratePerSecond: number;
}

/**
 * `rate` per `baseMs` as an integer count per window: L = max(1, floor(rate)) units per baseMs·(1+margin)·L/rate.
 * For an integer rate the window is the provider's own, widened by the margin, so the provider's window never
 * sees more than the limit even when requests arrive a little closer together than they were granted.
 */
function windowSpec(rate: number, baseMs: number, margin: number): { limit: number; windowMs: number } {
  if (rate <= 0) return { limit: 0, windowMs: baseMs };
  const limit = Math.max(1, Math.floor(rate));
  return { limit, windowMs: (baseMs * (1 + margin) * limit) / rate };
}

export class RateLimiter {
  private readonly perSecond = new SlidingWindow(0, 1000);
  private readonly perMinute = new SlidingWindow(0, 60_000);
  private readonly tokens = new SlidingWindow(0, 60_000);
  private readonly pacer = new Pacer(0);
  private lastGrantAt = Number.NEGATIVE_INFINITY;
  private rates: EffectiveRates = { qps: null, rpm: null, tpm: null, ratePerSecond: Number.POSITIVE_INFINITY };

  constructor(spec: RateSpec, margin: number, share: number) {
    this.configure(spec, margin, share);
  }

  /** Applies new limits or a new share; the logs of past grants are kept, so a change never allows a burst. */
  configure(spec: RateSpec, margin: number, share: number): void {
    const qps = spec.perSecond === null ? null : spec.perSecond * share;
    const rpm = spec.perMinute === null ? null : spec.perMinute * share;
    const tpm = spec.tokensPerMinute === null ? null : spec.tokensPerMinute * share;
    const ratePerSecond = Math.min(qps ?? Number.POSITIVE_INFINITY, rpm === null ? Number.POSITIVE_INFINITY : rpm / 60);
    this.rates = { qps, rpm, tpm, ratePerSecond };
    const apply = (window: SlidingWindow, rate: number | null, baseMs: number): void => {
      const spec = rate === null ? { limit: Number.POSITIVE_INFINITY, windowMs: baseMs } : windowSpec(rate, baseMs, margin);
      window.limit = spec.limit;
      window.windowMs = spec.windowMs;
    };
    apply(this.perSecond, qps, 1000);
    apply(this.perMinute, rpm, 60_000);
    this.tokens.limit = tpm === null ? Number.POSITIVE_INFINITY : Math.floor(tpm);
    this.tokens.windowMs = 60_000 * (1 + margin);
    this.pacer.intervalMs = Number.isFinite(ratePerSecond) && ratePerSecond > 0 ? (1000 * (1 + margin)) / ratePerSecond : 0;
  }

  effective(): EffectiveRates {
    return this.rates;
  }

  earliestAt(now: number, tokens: number): number {
    if (this.rates.ratePerSecond <= 0) return Number.POSITIVE_INFINITY;
    return Math.max(
      this.pacer.earliestAt(now),
      this.perSecond.earliestAt(now),
      this.perMinute.earliestAt(now),
      this.tokens.earliestAt(now, Math.min(tokens, this.tokens.limit)),
    );
  }

  /** Records a grant; returns the handle to correct its token count when the response reports usage. */
  record(now: number, tokens: number): EntryHandle {
    // The first request after an idle gap travels on a cold path (connection set-up, lazy client init) and can
    // reach the provider later than the warm ones granted after it, squeezing them into one provider second.
    // Counting it twice in the per-second window keeps that second within the limit, at the cost of one
    // request per idle period. A busy key never has a gap of two windows, so this never taxes steady load.
    const coldStart = now - this.lastGrantAt > 2 * this.perSecond.windowMs;
    this.lastGrantAt = now;
    this.pacer.take(now);
    this.perSecond.record(now, coldStart ? 2 : 1);
    this.perMinute.record(now);
    return this.tokens.record(now, tokens);
  }

  correctTokens(handle: EntryHandle, tokens: number): void {
    this.tokens.adjust(handle, tokens);
  }

  usedInLastMinute(now: number): number {
    return this.perMinute.used(now);
  }
}
