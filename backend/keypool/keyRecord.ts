// What the pool keeps per key and per account.
import type { AccountConfig, ApiKeyConfig } from '../config/index.js';
import type { KeyHealth } from './keyHealth.js';
import type { KeyLimiter } from './keyLimiter.js';
import type { KeyStats } from './keyStats.js';
import type { RateLimiter } from './rateLimiter.js';

export interface KeyRecord {
  config: ApiKeyConfig;
  limiter: KeyLimiter;
  health: KeyHealth;
  stats: KeyStats;
  inFlight: number;
  removed: boolean;
}

export interface AccountRecord {
  config: AccountConfig;
  limiter: RateLimiter;
}
