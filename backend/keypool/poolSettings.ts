// The key pool file as the pool uses it: milliseconds, rate specs and health policy.
import type { AccountConfig, ApiKeyConfig, ApiKeysConfig } from '../config/index.js';
import type { DelayObserver } from './delayObserver.js';
import type { HealthPolicy } from './keyHealth.js';
import type { SlotSettings } from './keyLimiter.js';
import type { RateSpec } from './rateLimiter.js';
import type { SendPath } from './slotPacer.js';

/**
 * However much the sends spread, a slot stays usable this long after it opens: a timer is routinely a ms or two
 * late, and skipping for that would cost rate on every slot, while a real stall is far longer.
 */
const MIN_SLOT_TOLERANCE_MS = 3;

/**
 * How late a slot may still be used: what the jitter budget leaves after the clock skew and the grant-to-send
 * spread this process observes, halved, because the other half must absorb what it cannot see (the network, the
 * provider's own intake; llm-sim stalled beside a busy process bunched arrivals that left on time). A request
 * that reaches its socket later than the whole of that budget is late (see SlotPacer.written).
 */
export function slotSettingsOf(config: ApiKeysConfig, delay: DelayObserver, path: SendPath): SlotSettings {
  const budgetMs = config.slot_jitter_budget_ms - config.clock_skew_ms;
  return {
    jitterBudgetMs: config.slot_jitter_budget_ms,
    margin: config.rate_margin,
    toleranceMs: () => Math.max(MIN_SLOT_TOLERANCE_MS, (budgetMs - delay.spreadMs()) / 2),
    arrivalBudgetMs: () => Math.max(MIN_SLOT_TOLERANCE_MS, budgetMs),
    path,
  };
}

export function healthPolicyOf(config: ApiKeysConfig): HealthPolicy {
  return {
    defaultCooldownMs: config.default_cooldown * 1000,
    maxCooldownMs: config.max_cooldown * 1000,
    failureThreshold: config.circuit_breaker.failure_threshold,
    openMs: config.circuit_breaker.open_seconds * 1000,
    maxOpenMs: config.circuit_breaker.max_open_seconds * 1000,
  };
}

/** A key's requests go by its send slots (slotGrid.ts); only its tokens are a window. */
export function keyTokenSpec(key: ApiKeyConfig): RateSpec {
  return { perSecond: null, perMinute: null, tokensPerMinute: key.tpm_limit };
}

export function accountRateSpec(account: AccountConfig): RateSpec {
  return { perSecond: null, perMinute: account.rpm_limit, tokensPerMinute: account.tpm_limit };
}
