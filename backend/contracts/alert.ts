// Alerts as the gateway serves and streams them: risk alerts from verdicts that match a rule, and system alerts
// from the live metrics, in one lifecycle operators know from video management systems.
import { z } from 'zod';
import { box, epochMs } from './common.js';
import { riskLevel, riskType } from './riskAssessmentResult.js';

/** new → acknowledged (someone owns it) → resolved or false_alarm; snoozed hides it until it persists past the snooze. */
export const ALERT_STATES = ['new', 'acknowledged', 'snoozed', 'resolved', 'false_alarm'] as const;
export const alertState = z.enum(ALERT_STATES);
export type AlertState = z.infer<typeof alertState>;
export const OPEN_ALERT_STATES: readonly AlertState[] = ['new', 'acknowledged', 'snoozed'];

export const ALERT_KINDS = ['risk', 'system'] as const;

/** What an operator can do to an alert (POST /api/alerts/:id/<action>). */
export const ALERT_ACTIONS = ['acknowledge', 'snooze', 'resolve', 'false_alarm', 'comment'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

/** Audit log entries: the operators' actions, and what the system did (raised, folded, resurfaced, cleared). */
export const ALERT_EVENT_ACTIONS = ['raised', 'folded', 'resurfaced', 'cleared', ...ALERT_ACTIONS] as const;

export const alertView = z.object({
  id: z.number().int().positive(),
  kind: z.enum(ALERT_KINDS),
  rule: z.string().describe('Alert rule name (risk) or system check name (system).'),
  camera_id: z.string().nullable(),
  subject: z.string().describe('What it is about: the camera (risk), or the key, group or camera a system check names ("" for the whole system).'),
  region: box.nullable().describe('Region of the latest verdict folded into it, source-frame pixels (risk alerts).'),
  state: alertState,
  level: riskLevel.describe('Highest risk level folded into it (risk), or how serious the system condition is.'),
  risk_types: z.array(riskType),
  summary: z.string().describe("Latest verdict's description, or what the system check found."),
  last_task_id: z.string().nullable().describe('Task of the latest verdict (its crop: GET /api/results/:task_id/crop).'),
  count: z.number().int().positive().describe('Matches folded into this alert.'),
  first_seen_ms: epochMs,
  last_seen_ms: epochMs,
  snoozed_until_ms: epochMs.nullable(),
  owner: z.string().nullable().describe('Who acknowledged it.'),
  updated_ms: epochMs,
});
export type AlertView = z.infer<typeof alertView>;

export const alertEventView = z.object({
  seq: z.number().int().positive().describe('Change number over all alerts, increasing: what a reconnecting stream resumes from.'),
  alert_id: z.number().int().positive(),
  at_ms: epochMs,
  actor: z.string().describe('Operator name, or "system".'),
  action: z.enum(ALERT_EVENT_ACTIONS),
  from_state: alertState.nullable(),
  to_state: alertState,
  comment: z.string().nullable(),
});
export type AlertEventView = z.infer<typeof alertEventView>;

export const alertActionRequest = z.strictObject({
  operator: z.string().trim().min(1).max(64).describe('Who acts (kept in the audit log).'),
  comment: z.string().max(2000).nullable().default(null),
  snooze_minutes: z.number().int().min(1).max(10_080).optional().describe('For snooze: how long (at most alerts.max_snooze_s).'),
});
export type AlertActionRequest = z.infer<typeof alertActionRequest>;

/** GET /api/alerts/open-count: what is still open, by level (the desktop tray and the UI's header show it). */
export const openAlertCounts = z.object({
  open: z.number().int().nonnegative(),
  by_level: z.record(riskLevel, z.number().int().nonnegative()),
});
export type OpenAlertCounts = z.infer<typeof openAlertCounts>;
