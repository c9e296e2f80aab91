// The strict schema of the key pool file (config/api_keys.yaml), in the shape of the original design.
import { z } from 'zod';

export const KEY_STRATEGIES = ['round_robin', 'least_load', 'priority'] as const;

const accountSchema = z.strictObject({
  name: z.string().min(1).max(64).describe('Account name, referenced by keys.'),
  rpm_limit: z.number().int().positive().nullable().default(null).describe('Requests per minute shared by all keys of the account.'),
  tpm_limit: z.number().int().positive().nullable().default(null).describe('Tokens per minute shared by all keys of the account.'),
});

const keySchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).describe('Key name shown in the UI, logs and metrics (never the key).'),
    api_key: z.string().min(8).describe('The key, as ${ENV_VAR}.'),
    qps_limit: z.number().positive().describe('Requests per second this key may send.'),
    rpm_limit: z.number().int().positive().describe('Requests per minute this key may send.'),
    tpm_limit: z.number().int().positive().nullable().default(null).describe('Tokens per minute (null: not limited).'),
    max_in_flight: z.number().int().positive().nullable().default(null).describe('Concurrent requests on this key (null: no bound beyond the rates).'),
    priority: z.number().int().min(0).max(100).default(0).describe('Strategy priority: higher is used first; lower keys are backups.'),
    weight: z.number().positive().default(1).describe('Relative share of traffic among keys of equal priority.'),
    account: z.string().min(1).max(64).nullable().default(null).describe('Account whose shared limits this key counts against.'),
  })
  .refine((key) => key.rpm_limit >= key.qps_limit, { message: 'expected rpm_limit >= qps_limit', path: ['rpm_limit'] });

export const apiKeysConfigSchema = z
  .strictObject({
    strategy: z.enum(KEY_STRATEGIES).default('least_load').describe('How a free key is chosen.'),
    max_retry_per_key: z.number().int().min(0).max(10).default(3).describe('Retries of one request on the same key after a retriable failure, before another key is tried.'),
    default_cooldown: z.number().positive().default(60).describe('Seconds a key cools down after a 429 without Retry-After.'),
    allow_plaintext_keys: z.boolean().default(false).describe('Accept literal keys in this file (otherwise only ${ENV_VAR}).'),
    max_cooldown: z.number().positive().default(600).describe('Longest cooldown, in seconds, after repeated 429s (each repeat doubles it).'),
    rate_margin: z
      .number()
      .min(0)
      .max(0.5)
      .default(0.02)
      .describe("Fraction of every token and account window kept free, so network jitter never makes the provider's window see more than the limit."),
    slot_jitter_budget_ms: z
      .number()
      .min(0)
      .max(500)
      .default(50)
      .describe(
        "Spread of request arrivals each key's send slots absorb: clock skew between instances, timer lateness and send delay. A key's requests are spaced (1000 + this) / qps_limit ms apart, so it costs this / 1000 of every key's rate; the rest of it, after clock_skew_ms and the observed send spread, is how late a slot may still be used, so a budget too small for the host passes slots over. Every instance of a cluster must use the same value.",
      ),
    clock_skew_ms: z
      .number()
      .min(0)
      .max(500)
      .default(5)
      .describe('How far the clocks of the instances sharing these keys may disagree (NTP keeps hosts on one network within a few ms); the rest of the jitter budget is left for timer lateness and send delay.'),
    default_request_tokens: z.number().int().positive().default(1500).describe('Tokens reserved per request against TPM limits until the response reports the real count.'),
    priority_aging_seconds: z.number().positive().default(5).describe('Waiting this long raises a request by one priority level (no starvation).'),
    circuit_breaker: z
      .strictObject({
        failure_threshold: z.number().int().positive().default(5).describe('Consecutive 5xx/timeouts that open a key\'s circuit.'),
        open_seconds: z.number().positive().default(30).describe('First open period; doubles on each failed probe.'),
        max_open_seconds: z.number().positive().default(300).describe('Longest open period.'),
      })
      .prefault({}),
    accounts: z.array(accountSchema).default([]).describe('Provider accounts whose limits are shared by their keys.'),
    keys: z.array(keySchema).min(1).describe('The keys of the pool.'),
  })
  .superRefine((config, ctx) => {
    if (config.clock_skew_ms >= config.slot_jitter_budget_ms && config.slot_jitter_budget_ms > 0) {
      ctx.addIssue({ code: 'custom', path: ['clock_skew_ms'], message: 'must be below slot_jitter_budget_ms (the budget must leave room for send delay)' });
    }
    const names = new Set<string>();
    const accounts = new Set(config.accounts.map((account) => account.name));
    config.keys.forEach((key, index) => {
      if (names.has(key.name)) ctx.addIssue({ code: 'custom', path: ['keys', index, 'name'], message: `duplicate key name "${key.name}"` });
      names.add(key.name);
      if (key.account !== null && !accounts.has(key.account)) {
        ctx.addIssue({ code: 'custom', path: ['keys', index, 'account'], message: `account "${key.account}" is not declared under accounts` });
      }
    });
    const accountNames = new Set<string>();
    config.accounts.forEach((account, index) => {
      if (accountNames.has(account.name)) ctx.addIssue({ code: 'custom', path: ['accounts', index, 'name'], message: `duplicate account name "${account.name}"` });
      accountNames.add(account.name);
    });
  });

export type ApiKeysConfig = z.infer<typeof apiKeysConfigSchema>;
export type ApiKeyConfig = ApiKeysConfig['keys'][number];
export type AccountConfig = ApiKeysConfig['accounts'][number];
