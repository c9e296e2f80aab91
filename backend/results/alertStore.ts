// Alerts and their audit log in the results store. A verdict that matches a rule folds into the open alert of
// its rule and camera when the region overlaps and it was seen within the window; a snoozed alert comes back
// when its situation persists past the snooze. Every change is one row of alert_events, in one transaction.
import type Database from 'better-sqlite3';
import { allowedFrom, nextState } from '../alerts/alertLifecycle.js';
import {
  OPEN_ALERT_STATES,
  RISK_LEVELS,
  type AlertAction,
  type AlertEventView,
  type AlertState,
  type AlertView,
  type OpenAlertCounts,
  type RiskAssessmentResultMessage,
  type RiskLevel,
} from '../contracts/index.js';
import { iou } from '../core/boxGeometry.js';
import { AppError } from '../core/errors.js';

export interface FoldSettings {
  windowMs: number;
  minIou: number;
}

export type RiskChange = 'raised' | 'folded' | 'resurfaced';

export interface AlertFilter {
  states?: readonly AlertState[];
  kind?: 'risk' | 'system';
  cameraId?: string;
  rule?: string;
}

export interface AlertPage {
  /** Latest seen first. */
  alerts: AlertView[];
  next: { lastSeenMs: number; id: number } | null;
}

export interface AlertChange {
  event: AlertEventView;
  alert: AlertView;
}

export interface FalseAlarmCount {
  camera_id: string | null;
  rule: string;
  false_alarms: number;
  alerts: number;
}

/** An action the alert's state does not allow (409), or an alert that does not exist (404). */
export class AlertActionError extends AppError {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(status === 404 ? 'alert_not_found' : 'alert_action_not_allowed', message);
  }
}

interface AlertRow {
  id: number;
  kind: 'risk' | 'system';
  rule: string;
  camera_id: string | null;
  subject: string;
  region: string | null;
  state: AlertState;
  level: RiskLevel;
  risk_types: string;
  summary: string;
  last_task_id: string | null;
  count: number;
  first_seen_ms: number;
  last_seen_ms: number;
  snoozed_until_ms: number | null;
  owner: string | null;
  updated_ms: number;
}

function view(row: AlertRow): AlertView {
  return { ...row, region: row.region === null ? null : (JSON.parse(row.region) as AlertView['region']), risk_types: JSON.parse(row.risk_types) as AlertView['risk_types'] };
}

const higher = (a: RiskLevel, b: RiskLevel): RiskLevel => (RISK_LEVELS.indexOf(a) >= RISK_LEVELS.indexOf(b) ? a : b);
const OPEN = OPEN_ALERT_STATES.map((state) => `'${state}'`).join(', ');

export function createAlertStore(db: Database.Database) {
  const byId = db.prepare<[number], AlertRow>('SELECT * FROM alerts WHERE id = ?');
  const openOf = db.prepare<[string, string, string], AlertRow>(`SELECT * FROM alerts WHERE kind = ? AND rule = ? AND subject = ? AND state IN (${OPEN}) ORDER BY last_seen_ms DESC`);
  const insertAlert = db.prepare(
    `INSERT INTO alerts (kind, rule, camera_id, subject, region, state, level, risk_types, summary, last_task_id, count, first_seen_ms, last_seen_ms, snoozed_until_ms, owner, updated_ms)
     VALUES (@kind, @rule, @camera_id, @subject, @region, 'new', @level, @risk_types, @summary, @last_task_id, 1, @at, @at, NULL, NULL, @at)`,
  );
  const foldInto = db.prepare(
    `UPDATE alerts SET region = @region, level = @level, risk_types = @risk_types, summary = @summary, last_task_id = @last_task_id, count = count + 1,
     last_seen_ms = @at, state = @state, snoozed_until_ms = @snoozed_until_ms, updated_ms = @at WHERE id = @id`,
  );
  const setState = db.prepare('UPDATE alerts SET state = @state, owner = @owner, snoozed_until_ms = @snoozed_until_ms, updated_ms = @at WHERE id = @id');
  const touch = db.prepare('UPDATE alerts SET last_seen_ms = @at, summary = @summary, level = @level WHERE id = @id');
  const insertEvent = db.prepare(
    'INSERT INTO alert_events (alert_id, at_ms, actor, action, from_state, to_state, comment) VALUES (@alert_id, @at_ms, @actor, @action, @from_state, @to_state, @comment)',
  );
  const eventsOf = db.prepare<[number], AlertEventView>('SELECT * FROM alert_events WHERE alert_id = ? ORDER BY seq');
  const eventsAfter = db.prepare<[number, number], AlertEventView>('SELECT * FROM alert_events WHERE seq > ? ORDER BY seq LIMIT ?');
  const lastSeq = db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM alert_events');
  const falseAlarms = db.prepare<[], FalseAlarmCount>(
    `SELECT camera_id, rule, SUM(state = 'false_alarm') AS false_alarms, COUNT(*) AS alerts FROM alerts WHERE kind = 'risk' GROUP BY camera_id, rule ORDER BY false_alarms DESC, camera_id, rule`,
  );
  const openByLevel = db.prepare<[], { level: RiskLevel; alerts: number }>(`SELECT level, COUNT(*) AS alerts FROM alerts WHERE state IN (${OPEN}) GROUP BY level`);
  const prune = db.prepare(`DELETE FROM alerts WHERE state NOT IN (${OPEN}) AND last_seen_ms < ?`);

  const record = (alert: AlertRow, action: AlertEventView['action'], actor: string, from: AlertState | null, to: AlertState, comment: string | null, at: number): AlertEventView => {
    const event = { alert_id: alert.id, at_ms: at, actor, action, from_state: from, to_state: to, comment };
    const { lastInsertRowid } = insertEvent.run(event);
    return { seq: Number(lastInsertRowid), ...event };
  };

  const raise = (fields: Omit<AlertRow, 'id' | 'state' | 'count' | 'first_seen_ms' | 'last_seen_ms' | 'snoozed_until_ms' | 'owner' | 'updated_ms'>, at: number): AlertChange => {
    const { lastInsertRowid } = insertAlert.run({ ...fields, at });
    const row = byId.get(Number(lastInsertRowid))!;
    return { event: record(row, 'raised', 'system', null, 'new', null, at), alert: view(row) };
  };

  return {
    /** Raises or folds the alert of a verdict that matched `rule`; call inside the transaction that stores the verdict. */
    recordRisk(result: RiskAssessmentResultMessage, rule: string, at: number, fold: FoldSettings): AlertChange & { change: RiskChange } {
      const seen = result.captured_at_ms;
      const target = openOf
        .all('risk', rule, result.camera_id)
        .find((row) => seen - row.last_seen_ms <= fold.windowMs && row.region !== null && iou(JSON.parse(row.region) as number[], result.region) >= fold.minIou);
      const fields = {
        region: JSON.stringify(result.region),
        risk_types: JSON.stringify(result.risk_types),
        summary: result.description,
        last_task_id: result.task_id,
      };
      if (!target) {
        const raised = raise({ kind: 'risk', rule, camera_id: result.camera_id, subject: result.camera_id, level: result.risk_level, ...fields }, seen);
        return { ...raised, change: 'raised' };
      }
      const resurfaces = target.state === 'snoozed' && target.snoozed_until_ms !== null && seen >= target.snoozed_until_ms;
      const state: AlertState = resurfaces ? 'new' : target.state;
      foldInto.run({ id: target.id, ...fields, level: higher(target.level, result.risk_level), at: Math.max(seen, target.last_seen_ms), state, snoozed_until_ms: resurfaces ? null : target.snoozed_until_ms });
      const row = byId.get(target.id)!;
      const event = resurfaces ? record(row, 'resurfaced', 'system', 'snoozed', 'new', null, at) : record(row, 'folded', 'system', target.state, state, null, at);
      return { event, alert: view(row), change: resurfaces ? 'resurfaced' : 'folded' };
    },

    /** A system check found its condition: raises its alert, or keeps the open one current (no event). */
    raiseSystem(check: string, subject: string, level: RiskLevel, summary: string, at: number): AlertChange | null {
      const open = openOf.get('system', check, subject);
      if (open) {
        touch.run({ id: open.id, at, summary, level });
        return null;
      }
      return raise({ kind: 'system', rule: check, camera_id: null, subject, level, risk_types: '[]', region: null, summary, last_task_id: null }, at);
    },

    /** The condition is gone: its open alert is resolved by the system. */
    clearSystem(check: string, subject: string, at: number): AlertChange | null {
      const open = openOf.get('system', check, subject);
      if (!open) return null;
      setState.run({ id: open.id, state: 'resolved', owner: open.owner, snoozed_until_ms: null, at });
      const row = byId.get(open.id)!;
      return { event: record(row, 'cleared', 'system', open.state, 'resolved', null, at), alert: view(row) };
    },

    openSystem(): AlertView[] {
      return db.prepare<[], AlertRow>(`SELECT * FROM alerts WHERE kind = 'system' AND state IN (${OPEN})`).all().map(view);
    },

    act(id: number, action: AlertAction, by: { operator: string; comment: string | null; snoozeUntilMs?: number }, at: number): AlertChange {
      return db.transaction((): AlertChange => {
        const row = byId.get(id);
        if (!row) throw new AlertActionError(404, `no alert ${id}`);
        const to = nextState(row.state, action);
        if (to === null) throw new AlertActionError(409, `alert ${id} is ${row.state}; ${action} is allowed from ${allowedFrom(action).join(', ')}`);
        if (action === 'snooze' && by.snoozeUntilMs === undefined) throw new AlertActionError(409, 'snooze needs snooze_minutes');
        const owner = action === 'acknowledge' ? by.operator : row.owner;
        const snoozedUntil = action === 'snooze' ? by.snoozeUntilMs! : to === 'snoozed' ? row.snoozed_until_ms : null;
        if (action !== 'comment') setState.run({ id, state: to, owner, snoozed_until_ms: snoozedUntil, at });
        const event = record(row, action, by.operator, row.state, to, by.comment, at);
        return { event, alert: view(byId.get(id)!) };
      })();
    },

    get(id: number): { alert: AlertView; events: AlertEventView[] } | null {
      const row = byId.get(id);
      return row ? { alert: view(row), events: eventsOf.all(id) } : null;
    },

    list(filter: AlertFilter, options: { limit?: number; before?: { lastSeenMs: number; id: number } } = {}): AlertPage {
      const limit = Math.max(1, Math.min(500, Math.floor(options.limit ?? 50)));
      const where: string[] = ['(last_seen_ms < @at OR (last_seen_ms = @at AND id < @id))'];
      const params: Record<string, unknown> = { at: options.before?.lastSeenMs ?? Number.MAX_SAFE_INTEGER, id: options.before?.id ?? Number.MAX_SAFE_INTEGER, limit: limit + 1 };
      if (filter.states && filter.states.length > 0) {
        where.push(`state IN (${filter.states.map((_, index) => `@state${index}`).join(', ')})`);
        filter.states.forEach((state, index) => (params[`state${index}`] = state));
      }
      const equal = (column: string, value: string | undefined): void => {
        if (value === undefined) return;
        where.push(`${column} = @${column}`);
        params[column] = value;
      };
      equal('kind', filter.kind);
      equal('camera_id', filter.cameraId);
      equal('rule', filter.rule);
      const rows = db.prepare<Record<string, unknown>, AlertRow>(`SELECT * FROM alerts WHERE ${where.join(' AND ')} ORDER BY last_seen_ms DESC, id DESC LIMIT @limit`).all(params);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { alerts: page.map(view), next: rows.length > limit && last ? { lastSeenMs: last.last_seen_ms, id: last.id } : null };
    },

    /** Changes after `seq`, oldest first, each with the alert as it is now (a reconnecting client's catch-up). */
    changesSince(seq: number, limit: number): AlertChange[] {
      return eventsAfter.all(seq, limit).flatMap((event) => {
        const row = byId.get(event.alert_id);
        return row ? [{ event, alert: view(row) }] : [];
      });
    },

    lastSeq(): number {
      return lastSeq.get()?.seq ?? 0;
    },

    openCounts(): OpenAlertCounts {
      const byLevel = Object.fromEntries(RISK_LEVELS.map((level) => [level, 0])) as OpenAlertCounts['by_level'];
      for (const row of openByLevel.all()) byLevel[row.level] = row.alerts;
      return { open: Object.values(byLevel).reduce((sum, count) => sum + count, 0), by_level: byLevel };
    },

    falseAlarmCounts(): FalseAlarmCount[] {
      return falseAlarms.all();
    },

    /** Deletes closed alerts last seen before `cutoffMs` with their audit log; open ones stay whatever their age. */
    pruneClosedBefore(cutoffMs: number): number {
      return prune.run(cutoffMs).changes;
    },
  };
}

export type AlertStore = ReturnType<typeof createAlertStore>;
