// Alerts: the list with filters and paging, one alert with its audit log, the operators' actions, and the
// false-alarm counts sites tune their rules with.
import { ALERT_ACTIONS, ALERT_STATES, alertActionRequest, type AlertAction, type AlertState } from '../../contracts/index.js';
import type { Clock } from '../../core/clock.js';
import { AlertActionError, type AlertChange, type AlertStore } from '../../results/alertStore.js';
import { HttpError } from '../../core/httpResponses.js';
import type { Route } from '../routes.js';
import { decodeCursor, encodeCursor, positiveInt } from './queryParams.js';

export interface AlertRouteSettings {
  maxSnoozeMs: number;
  /** Told of every operator change, so the stream shows it at once. */
  onChange(change: AlertChange): void;
}

function states(raw: string | null): AlertState[] | undefined {
  if (raw === null || raw === '') return undefined;
  const wanted = raw.split(',');
  const unknown = wanted.filter((state) => !(ALERT_STATES as readonly string[]).includes(state));
  if (unknown.length > 0) throw new HttpError(400, `unknown state ${unknown.join(', ')} (states: ${ALERT_STATES.join(', ')})`);
  return wanted as AlertState[];
}

function alertId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new HttpError(404, `no alert ${String(raw).slice(0, 40)}`);
  return id;
}

export function alertRoutes(store: () => AlertStore, settings: AlertRouteSettings, clock: Clock): Route[] {
  const act = (action: AlertAction): Route => ({
    method: 'POST',
    path: `/api/alerts/:id/${action.replace('_', '-')}`,
    handle: async ({ params, body }) => {
      const id = alertId(params.id);
      const parsed = alertActionRequest.safeParse(await body());
      if (!parsed.success) throw new HttpError(400, parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '));
      const request = parsed.data;
      let snoozeUntilMs: number | undefined;
      if (action === 'snooze') {
        if (request.snooze_minutes === undefined) throw new HttpError(400, 'snooze_minutes: required for snooze');
        if (request.snooze_minutes * 60_000 > settings.maxSnoozeMs) throw new HttpError(400, `snooze_minutes: at most ${settings.maxSnoozeMs / 60_000} (alerts.max_snooze_s)`);
        snoozeUntilMs = clock.now() + request.snooze_minutes * 60_000;
      }
      try {
        const change = store().act(id, action, { operator: request.operator, comment: request.comment, snoozeUntilMs }, clock.now());
        settings.onChange(change);
        return change;
      } catch (error) {
        if (error instanceof AlertActionError) throw new HttpError(error.status, error.message);
        throw error;
      }
    },
  });

  return [
    {
      method: 'GET',
      path: '/api/alerts',
      handle: ({ query }) => {
        const kind = query.get('kind');
        if (kind !== null && kind !== 'risk' && kind !== 'system') throw new HttpError(400, 'kind: risk or system');
        const before = decodeCursor(query.get('before'), (parts) => (parts.length === 2 ? { lastSeenMs: Number(parts[0]), id: Number(parts[1]) } : null));
        const page = store().list(
          { states: states(query.get('state')), kind: kind ?? undefined, cameraId: query.get('camera') ?? undefined, rule: query.get('rule') ?? undefined },
          { limit: positiveInt(query.get('limit'), 'limit', 500), before },
        );
        return { alerts: page.alerts, next: page.next && encodeCursor([page.next.lastSeenMs, page.next.id]) };
      },
    },
    { method: 'GET', path: '/api/alerts/open-count', handle: () => store().openCounts() },
    { method: 'GET', path: '/api/alerts/false-alarms', handle: () => ({ counts: store().falseAlarmCounts() }) },
    {
      method: 'GET',
      path: '/api/alerts/:id',
      handle: ({ params }) => {
        const found = store().get(alertId(params.id));
        if (!found) throw new HttpError(404, `no alert ${params.id}`);
        return found;
      },
    },
    ...ALERT_ACTIONS.map(act),
  ];
}
