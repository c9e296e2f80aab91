// Brings the pool's key and account records in line with a key file: adds, updates and removes them, keeping each
// key's history (windows, slots, health) across a reload, a rotation or a change of this instance's partitions.
import type { ApiKeysConfig } from '../config/index.js';
import type { EpochTime } from './epochTime.js';
import { KeyHealth } from './keyHealth.js';
import { KeyLimiter, type SlotSettings } from './keyLimiter.js';
import type { AccountRecord, KeyRecord } from './keyRecord.js';
import { KeyStats } from './keyStats.js';
import { accountRateSpec, healthPolicyOf } from './poolSettings.js';
import { RateLimiter } from './rateLimiter.js';
import type { Ownership } from './slotPacer.js';

export interface PoolRecords {
  keys: Map<string, KeyRecord>;
  accounts: Map<string, AccountRecord>;
}

export interface RecordContext {
  slots: SlotSettings;
  ownership: Ownership;
  epoch: EpochTime;
  /** Monotonic now: when the ownership or the limits changed. */
  now: number;
  /** A removed key leaves the strategy's memory. */
  forget(name: string): void;
}

export function syncRecords(records: PoolRecords, config: ApiKeysConfig, context: RecordContext): void {
  const share = context.ownership.owned.size / context.ownership.total;
  for (const account of config.accounts) {
    const existing = records.accounts.get(account.name);
    if (existing) {
      existing.config = account;
      existing.limiter.configure(accountRateSpec(account), config.rate_margin, share);
    } else {
      records.accounts.set(account.name, { config: account, limiter: new RateLimiter(accountRateSpec(account), config.rate_margin, share) });
    }
  }
  for (const name of records.accounts.keys()) if (!config.accounts.some((account) => account.name === name)) records.accounts.delete(name);
  syncKeys(records.keys, config, context);
}

function syncKeys(keys: Map<string, KeyRecord>, config: ApiKeysConfig, context: RecordContext): void {
  const policy = healthPolicyOf(config);
  const wanted = new Set(config.keys.map((key) => key.name));
  for (const [name, key] of keys) {
    if (wanted.has(name)) continue;
    key.removed = true;
    context.forget(name);
    if (key.inFlight === 0) keys.delete(name);
  }
  for (const keyConfig of config.keys) {
    const existing = keys.get(keyConfig.name);
    if (!existing) {
      const limiter = new KeyLimiter(keyConfig, context.slots, context.ownership, context.epoch);
      keys.set(keyConfig.name, { config: keyConfig, limiter, health: new KeyHealth(policy), stats: new KeyStats(), inFlight: 0, removed: false });
      continue;
    }
    // A rotated key starts healthy: a disabled key stays disabled "until the key file changes" it.
    if (existing.config.api_key !== keyConfig.api_key) existing.health = new KeyHealth(policy);
    existing.removed = false;
    existing.config = keyConfig;
    existing.health.setPolicy(policy);
    existing.limiter.configure(keyConfig, context.slots, context.ownership, context.now);
  }
}
