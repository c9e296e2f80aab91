// Key pool configs for tests, through the real schema so every default applies.
import { apiKeysConfigSchema, type ApiKeysConfig } from '../../backend/config/index.js';

export interface TestKey {
  name: string;
  qps: number;
  rpm: number;
  priority?: number;
  weight?: number;
  maxInFlight?: number;
  account?: string;
  tpm?: number;
}

export function keysConfig(keys: TestKey[], extra: Record<string, unknown> = {}): ApiKeysConfig {
  return apiKeysConfigSchema.parse({
    allow_plaintext_keys: true,
    ...extra,
    keys: keys.map((key) => ({
      name: key.name,
      api_key: `sk-test-${key.name}-0000000000`,
      qps_limit: key.qps,
      rpm_limit: key.rpm,
      priority: key.priority ?? 0,
      weight: key.weight ?? 1,
      max_in_flight: key.maxInFlight ?? null,
      account: key.account ?? null,
      tpm_limit: key.tpm ?? null,
    })),
  });
}
