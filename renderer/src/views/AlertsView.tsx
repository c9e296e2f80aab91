// /alerts: the live feed, newest open alerts first, filtered by camera, level, risk type and state, with the
// operator's actions and keyboard shortcuts (J/K select, A acknowledge, R resolve, F false alarm), the mute of the
// critical-alert cue, and the selected alert's detail.
import { useEffect, useMemo, useState } from 'react';
import type { AlertView } from '../../../backend/contracts/index.js';
import type { GatewayClient } from '../api/gatewayClient.js';
import { matchesFilter, NO_FILTER, type AlertFilter } from '../state/alertFilter.js';
import { useLiveStore } from '../state/liveStore.js';
import { sortedAlerts } from '../state/liveState.js';
import { useT, useUiStore } from '../state/uiStore.js';
import { AlertDetail, type AlertAction } from './AlertDetail.js';
import { AlertFilters } from './AlertFilters.js';

export function AlertsView({ client }: { client: GatewayClient }): React.JSX.Element {
  const t = useT();
  // Selected as stored and sorted here: a selector that builds a new array each time would re-render for ever.
  const byId = useLiveStore((state) => state.alerts);
  const everything = useMemo(() => sortedAlerts(byId), [byId]);
  const [filter, setFilter] = useState<AlertFilter>(NO_FILTER);
  const alerts = useMemo(() => everything.filter((alert) => matchesFilter(alert, filter)), [everything, filter]);
  const { operator, setOperator, muted, setMuted } = useUiStore();
  // Selected by id, not by position: the list re-sorts as alerts arrive, and A must act on the alert the operator chose.
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const current: AlertView | undefined = alerts.find((alert) => alert.id === selectedId) ?? alerts[0];
  const move = (step: number): void => {
    const index = current ? alerts.indexOf(current) : -1;
    const next = alerts[Math.max(0, Math.min(alerts.length - 1, index + step))];
    if (next) setSelectedId(next.id);
  };

  const act = async (action: AlertAction, alert: AlertView | undefined): Promise<void> => {
    if (!alert) return;
    if (operator.trim() === '') return setProblem(t('alerts.needOperator'));
    try {
      await client.post(`/api/alerts/${alert.id}/${action}`, { operator: operator.trim(), comment: comment.trim() === '' ? null : comment.trim() });
      setComment('');
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : t('common.error'));
    }
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      const key = event.key.toLowerCase();
      if (key === 'j') move(1);
      if (key === 'k') move(-1);
      if (key === 'a') void act('acknowledge', current);
      if (key === 'r') void act('resolve', current);
      if (key === 'f') void act('false-alarm', current);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <section className="alerts">
      <div className="alerts-toolbar">
        <label>
          {t('alerts.operator')} <input data-testid="operator" value={operator} onChange={(event) => setOperator(event.target.value)} />
        </label>
        <label>
          {t('alerts.comment')} <input data-testid="comment" value={comment} onChange={(event) => setComment(event.target.value)} />
        </label>
        <button type="button" data-testid="mute" aria-pressed={muted} onClick={() => setMuted(!muted)}>
          {muted ? t('alerts.unmute') : t('alerts.mute')}
        </button>
        <span className="hint">{t('alerts.keys')}</span>
        {problem && <span className="problem" role="alert">{problem}</span>}
      </div>
      <AlertFilters alerts={everything} filter={filter} onChange={setFilter} />
      {alerts.length === 0 ? (
        <p className="empty">{t(everything.length === 0 ? 'alerts.empty' : 'alerts.noMatch')}</p>
      ) : (
        <div className="alerts-body">
          <ol className="alert-list">
            {alerts.map((alert) => (
              <li key={alert.id} data-testid="alert-row" data-alert={alert.id} data-state={alert.state} aria-selected={alert === current} onClick={() => setSelectedId(alert.id)} className={`level-${alert.level}`}>
                <span className="level">{t(`level.${alert.level}`)}</span> <strong>{alert.camera_id ?? alert.subject}</strong> {alert.rule} · {t(`state.${alert.state}`)} · {t('alerts.count')} {alert.count}
                <div className="summary">{alert.summary}</div>
              </li>
            ))}
          </ol>
          {current && <AlertDetail client={client} alert={current} onAct={(action) => void act(action, current)} />}
        </div>
      )}
    </section>
  );
}
