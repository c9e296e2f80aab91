// The keys the simulator knows, with the limits it enforces, like a provider's account settings.
import type { ApiKeysConfig } from '../config/index.js';
import { RequestWindow } from './requestWindow.js';

export interface SimKeyCounts {
  requests: number;
  ok: number;
  http_429: number;
  http_401: number;
  http_5xx: number;
  malformed: number;
  max_in_1s: number;
  max_in_60s: number;
}

export interface SimKey {
  name: string;
  apiKey: string;
  account: string | null;
  qps: number;
  rpm: number;
  perSecond: RequestWindow;
  perMinute: RequestWindow;
  revoked: boolean;
  counts: Omit<SimKeyCounts, 'max_in_1s' | 'max_in_60s'>;
}

export interface SimAccount {
  name: string;
  rpm: number | null;
  perMinute: RequestWindow | null;
  http_429: number;
}

export interface SimKeySet {
  byApiKey: Map<string, SimKey>;
  byName: Map<string, SimKey>;
  accounts: Map<string, SimAccount>;
}

/** Deterministic key values for generated keys, so users and benchmarks can configure a pool for them. */
export function simApiKey(name: string): string {
  return `sk-sim-${name}`;
}

export function simKeyName(index: number): string {
  return `key-${String(index + 1).padStart(3, '0')}`;
}

function createKey(name: string, apiKey: string, qps: number, rpm: number, account: string | null): SimKey {
  return {
    name,
    apiKey,
    account,
    qps,
    rpm,
    perSecond: new RequestWindow(Math.floor(qps), 1000),
    perMinute: new RequestWindow(Math.floor(rpm), 60_000),
    revoked: false,
    counts: { requests: 0, ok: 0, http_429: 0, http_401: 0, http_5xx: 0, malformed: 0 },
  };
}

function toSet(keys: SimKey[], accounts: SimAccount[]): SimKeySet {
  return {
    byApiKey: new Map(keys.map((key) => [key.apiKey, key])),
    byName: new Map(keys.map((key) => [key.name, key])),
    accounts: new Map(accounts.map((account) => [account.name, account])),
  };
}

export function generatedKeys(count: number, qps: number, rpm: number): SimKeySet {
  return toSet(
    Array.from({ length: count }, (_, index) => createKey(simKeyName(index), simApiKey(simKeyName(index)), qps, rpm, null)),
    [],
  );
}

/** Keys from a key pool file; `override` replaces every key's limits (the provider's truth may differ from the file). */
export function keysFromConfig(config: ApiKeysConfig, override: { qps?: number; rpm?: number }): SimKeySet {
  return toSet(
    config.keys.map((key) => createKey(key.name, key.api_key, override.qps ?? key.qps_limit, override.rpm ?? key.rpm_limit, key.account)),
    config.accounts.map((account) => ({
      name: account.name,
      rpm: account.rpm_limit,
      perMinute: account.rpm_limit === null ? null : new RequestWindow(account.rpm_limit, 60_000),
      http_429: 0,
    })),
  );
}
