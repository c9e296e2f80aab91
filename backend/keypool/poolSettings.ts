// The key pool file as the pool uses it: milliseconds, rate specs and health policy.
import type { AccountConfig, ApiKeyConfig, ApiKeysConfig } from '../config/index.js';
import type { HealthPolicy } from './keyHealth.js';
import type { RateSpec } from './rateLimiter.js';

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
