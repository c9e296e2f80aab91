// GET /api-key-pool/health: the key pool as operators see it. Key names only, never keys.
import { z } from 'zod';

export const KEY_STATES = ['healthy', 'cooling', 'open', 'half_open', 'disabled'] as const;

const limits = z.object({
  qps: z.number().nullable(),
  rpm: z.number().nullable(),
  tpm: z.number().nullable(),
});

export const keyHealthView = z.object({
  name: z.string(),
  account: z.string().nullable(),
  state: z.enum(KEY_STATES),
  priority: z.number(),
  weight: z.number(),
  configured: limits.extend({ max_in_flight: z.number().nullable() }),
  effective: limits.extend({ rate_per_second: z.number().describe('Sustained requests/s this instance may send.') }),
  in_flight: z.number().int(),
  requests_total: z.number().int(),
  success_rate: z.number().min(0).max(1),
  avg_latency_ms: z.number().nullable(),
  p95_latency_ms: z.number().nullable(),
  cooldown_remaining_ms: z.number(),
  slots_passed_over: z.number().int().describe("Send slots of this instance that went unused while the key was busy (granted too late for them): rate a loaded host lost."),
  late_writes: z
    .number()
    .int()
    .describe(
      "Requests on the key that reached the socket later than slot_jitter_budget_ms − clock_skew_ms after their slot (a stalled process). Each may arrive beside another instance's next request on the key and cost a 429; if this grows, the budget is too small for the host.",
    ),
  last_error: z.string().nullable(),
});

export const accountHealthView = z.object({
  name: z.string(),
  keys: z.number().int(),
  configured_rpm: z.number().nullable(),
  effective_rpm: z.number().nullable(),
  /** What the account's keys can really send together: ten keys on one account are not ten times the capacity. */
  capacity_rps: z.number(),
});

export const keyPoolHealth = z.object({
  strategy: z.string(),
  share: z.number().min(0).max(1).describe("This instance's fraction of the assessment-tasks partitions."),
  owned_partitions: z.array(z.number().int().nonnegative()).describe('The partitions whose send slots this instance uses.'),
  total_partitions: z.number().int().positive(),
  available_count: z.number().int().describe('Keys that may be used now or after their pacing (not cooling, open or disabled).'),
  capacity_rps: z.number().describe('Sustained requests/s of all usable keys, after account limits and share.'),
  slot_tolerance_ms: z.number().describe('How late after its opening a send slot may still be used, from the grant-to-send spread this process observes.'),
  waiting: z.number().int(),
  keys: z.array(keyHealthView),
  accounts: z.array(accountHealthView),
});

export type KeyHealthView = z.infer<typeof keyHealthView>;
export type AccountHealthView = z.infer<typeof accountHealthView>;
export type KeyPoolHealth = z.infer<typeof keyPoolHealth>;
