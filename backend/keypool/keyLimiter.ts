// The limits of one key in this instance: requests in the key's send slots of the partitions it owns (exact across
// instances, see slotGrid.ts), tokens per minute in a sliding window scaled by its share of the partitions.
import type { ApiKeyConfig } from '../config/index.js';
import type { EpochTime } from './epochTime.js';
import { keyTokenSpec } from './poolSettings.js';
import { RateLimiter, type EffectiveRates } from './rateLimiter.js';
import type { EntryHandle } from './slidingWindow.js';
import { phaseOf, SlotGrid } from './slotGrid.js';
import { SlotPacer, type Ownership, type SendPath } from './slotPacer.js';

export interface SlotSettings {
  jitterBudgetMs: number;
  /** Fraction of every token window kept free (rate_margin). */
  margin: number;
  /** How late after its opening a slot may still be used. */
  toleranceMs: () => number;
  /** The pool's connections to the endpoint, warm while any of its keys is in use. */
  path: SendPath;
  /** How late after its slot a request may reach the socket (the jitter budget less the clock skew). */
  arrivalBudgetMs: () => number;
}

function gridOf(key: ApiKeyConfig, settings: SlotSettings): SlotGrid {
  return new SlotGrid({ perSecond: key.qps_limit, perMinute: key.rpm_limit, jitterBudgetMs: settings.jitterBudgetMs, phase: phaseOf(key.name), rotation: phaseOf(`${key.name}/partitions`) });
}

function shareOf(ownership: Ownership): number {
  return ownership.owned.size / ownership.total;
}

export class KeyLimiter {
  private readonly slots: SlotPacer;
  private readonly tokens: RateLimiter;
  private key: ApiKeyConfig;
  private share: number;

  constructor(
    key: ApiKeyConfig,
    settings: SlotSettings,
    ownership: Ownership,
    private readonly epoch: EpochTime,
  ) {
    this.key = key;
    this.share = shareOf(ownership);
    this.slots = new SlotPacer(gridOf(key, settings), ownership, settings.toleranceMs, settings.path, settings.arrivalBudgetMs);
    this.tokens = new RateLimiter(keyTokenSpec(key), settings.margin, this.share);
  }

  configure(key: ApiKeyConfig, settings: SlotSettings, ownership: Ownership, now: number): void {
    this.key = key;
    this.share = shareOf(ownership);
    this.slots.configure(gridOf(key, settings), ownership, this.epoch.of(now), settings);
    this.tokens.configure(keyTokenSpec(key), settings.margin, this.share);
  }

  /** Slots live on epoch time, common to every instance; the pool schedules on the monotonic clock. */
  earliestAt(now: number, tokens: number): number {
    const epoch = this.epoch.of(now);
    return Math.max(now + (this.slots.earliestAt(epoch) - epoch), this.tokens.earliestAt(now, tokens));
  }

  /** Takes the slot and the tokens of a grant; `slotAt` is the slot's opening (epoch ms), for `written`. */
  record(now: number, tokens: number): { tokens: EntryHandle; slotAt: number | null } {
    const slotAt = this.slots.take(this.epoch.of(now));
    return { tokens: this.tokens.record(now, tokens), slotAt };
  }

  /** The grant's request reached the socket now (see SlotPacer.written). */
  written(slotAt: number | null, now: number): void {
    if (slotAt !== null) this.slots.written(slotAt, this.epoch.of(now));
  }

  /** The grant's request ended without reaching the socket. */
  unsent(slotAt: number | null): void {
    if (slotAt !== null) this.slots.unsent();
  }

  /** Owned slots that went unused (no request was waiting, or it was granted too late for the slot). */
  slotsPassedOver(): number {
    return this.slots.passedOver;
  }

  /** Requests that reached the socket later than the arrival budget after their slot. */
  lateWrites(): number {
    return this.slots.lateWrites;
  }

  correctTokens(handle: EntryHandle, tokens: number): void {
    this.tokens.correctTokens(handle, tokens);
  }

  effective(): EffectiveRates {
    const ratePerSecond = this.share === 0 ? 0 : this.slots.ratePerSecond();
    return { qps: ratePerSecond, rpm: ratePerSecond * 60, tpm: this.key.tpm_limit === null ? null : this.key.tpm_limit * this.share, ratePerSecond };
  }
}
