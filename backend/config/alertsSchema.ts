// The `alerts` section of the process config: which verdicts page an operator, how repeats fold, and the
// thresholds of the system alerts (the same ones docs/monitoring exports for Prometheus).
import { z } from 'zod';
import { RISK_LEVELS, RISK_TYPES } from '../contracts/index.js';

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const hourOfDay = z.number().int().min(0).max(24);

export const alertRuleSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'lower-case letters, digits, _ - (1–64)').describe('Name shown with its alerts and in the false-alarm counts.'),
    min_risk_level: z.enum(RISK_LEVELS).default('high').describe('Verdicts at this level or above match.'),
    risk_types: z.array(z.enum(RISK_TYPES)).default([]).describe('Verdicts naming any of these match (empty: any type).'),
    cameras: z.array(z.string().min(1)).default([]).describe('Camera ids the rule applies to (empty: every camera).'),
    hours: z
      .strictObject({
        from: hourOfDay.max(23).describe('First hour (0–23) the rule applies, in alerts.timezone.'),
        to: hourOfDay.describe('Hour it stops applying (1–24); before `from` wraps past midnight, e.g. 22 → 6.'),
      })
      .refine((hours) => hours.from !== hours.to, { message: 'from and to are the same hour (an empty range)' })
      .nullable()
      .default(null)
      .describe('Hours of the day of the frame\'s capture the rule applies (null: all day).'),
  });

export const alertsSchema = z
  .strictObject({
    rules: z
      .array(alertRuleSchema)
      .default([{ name: 'high-risk', min_risk_level: 'high', risk_types: [], cameras: [], hours: null }])
      .describe('Rules a verdict is checked against in order; the first that matches raises (or folds into) its alert. Empty: no risk alerts.'),
    timezone: z
      .string()
      .refine(isTimeZone, 'not an IANA time zone (e.g. Asia/Shanghai)')
      .default('Asia/Shanghai')
      .describe("Time zone of the rules' hours (the control center's)."),
    fold_window_s: z.number().int().min(1).max(86_400).default(300).describe('A match folds into an open alert of its rule and camera seen this recently whose region overlaps.'),
    fold_min_iou: z.number().min(0).max(1).default(0.3).describe('How much two regions must overlap (intersection over union) to be one place.'),
    max_snooze_s: z.number().int().min(60).max(604_800).default(86_400).describe('Longest snooze an operator may set.'),
    system: z
      .strictObject({
        evaluate_every_s: z.number().int().min(1).max(3600).default(10).describe('How often the live metrics are checked.'),
        max_consumer_lag: z.number().int().min(1).default(1000).describe('Raise when a consumer group is this many messages behind on a partition.'),
        min_available_keys: z.number().int().min(0).default(1).describe('Raise when fewer API keys than this can be used.'),
        min_key_success_rate: z.number().min(0).max(1).default(0.95).describe("Raise when a key's recent success rate falls below this."),
        max_p95_latency_ms: z.number().int().min(1).default(2000).describe('Raise when p95 capture-to-stored latency over the last evaluation window is above this.'),
        max_dead_letters_per_min: z.number().min(0).default(10).describe('Raise when dead letters arrive faster than this.'),
        scrape_targets: z
          .array(
            z.strictObject({
              name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (1–64)').describe('Names the process in its alerts (`process_down`).'),
              url: z.url({ protocol: /^https?$/ }).describe('Base URL of its ops endpoints (`tcr scheduler` or `tcr server --ops-port`), e.g. http://10.0.0.5:9101.'),
            }),
          )
          .max(500)
          .default([])
          .describe(
            "The other processes of the site whose metrics the gateway's system checks read (their /metrics/samples), beside its own; one that does not answer raises `process_down`. Empty: the checks see this process only.",
          ),
        scrape_timeout_ms: z.number().int().min(100).max(30_000).default(2000).describe('A scrape target slower than this counts as down for that evaluation.'),
      })
      .prefault({}),
  })
  .superRefine((alerts, ctx) => {
    const names = new Set<string>();
    alerts.rules.forEach((rule, index) => {
      if (names.has(rule.name)) ctx.addIssue({ code: 'custom', path: ['rules', index, 'name'], message: `duplicate rule name "${rule.name}"` });
      names.add(rule.name);
    });
    const targets = new Set<string>();
    alerts.system.scrape_targets.forEach((target, index) => {
      if (targets.has(target.name)) ctx.addIssue({ code: 'custom', path: ['system', 'scrape_targets', index, 'name'], message: `duplicate scrape target name "${target.name}"` });
      targets.add(target.name);
    });
  })
  .prefault({});

export type AlertRule = z.infer<typeof alertRuleSchema>;
export type AlertsConfig = z.infer<typeof alertsSchema>;
