// /alerts: the live feed, newest open alerts first, with the operator's actions and keyboard shortcuts
// (J/K select, A acknowledge, R resolve, F false alarm) and the selected alert's picture and text.
import { useEffect, useMemo, useState } from 'react';
import type { AlertView } from '../../../backend/contracts/index.js';
import type { GatewayClient } from '../api/gatewayClient.js';
import { useLiveStore } from '../state/liveStore.js';
import { sortedAlerts } from '../state/liveState.js';
import { useT, useUiStore } from '../state/uiStore.js';
import { LEVEL_COLOURS } from './CameraTile.js';

type Action = 'acknowledge' | 'resolve' | 'false-alarm';

function CropImage({ client, taskId }: { client: GatewayClient; taskId: string }): React.JSX.Element | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    client.blob(`/api/results/${encodeURIComponent(taskId)}/crop`).then(
      (blob) => {
        if (!blob) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      () => undefined,
    );
    return () => {
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [client, taskId]);
  return url ? <img className="alert-crop" src={url} alt="" /> : null;
}

export function AlertsView({ client }: { client: GatewayClient }): React.JSX.Element {
  const t = useT();
  // Selected as stored and sorted here: a selector that builds a new array each time would re-render for ever.
  const byId = useLiveStore((state) => state.alerts);
  const alerts = useMemo(() => sortedAlerts(byId), [byId]);
  const { operator, setOperator } = useUiStore();
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

  const act = async (action: Action, alert: AlertView | undefined): Promise<void> => {
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
        <span className="hint">{t('alerts.keys')}</span>
        {problem && <span className="problem" role="alert">{problem}</span>}
      </div>
      {alerts.length === 0 ? (
        <p className="empty">{t('alerts.empty')}</p>
      ) : (
        <div className="alerts-body">
          <ol className="alert-list">
            {alerts.map((alert) => (
              <li key={alert.id} data-testid="alert-row" data-alert={alert.id} data-state={alert.state} aria-selected={alert === current} onClick={() => setSelectedId(alert.id)} style={{ borderLeftColor: LEVEL_COLOURS[alert.level] }}>
                <span className="level">{t(`level.${alert.level}`)}</span> <strong>{alert.camera_id ?? alert.subject}</strong> {alert.rule} · {t(`state.${alert.state}`)} · {t('alerts.count')} {alert.count}
                <div className="summary">{alert.summary}</div>
              </li>
            ))}
          </ol>
          {current && (
            <aside className="alert-detail">
              <h2>
                {t(`level.${current.level}`)} · {current.camera_id ?? current.subject}
              </h2>
              {current.last_task_id && <CropImage client={client} taskId={current.last_task_id} />}
              <p>{current.summary}</p>
              <p>{current.risk_types.map((type) => t(`risk.${type}`)).join(' · ')}</p>
              <div className="actions">
                <button type="button" onClick={() => void act('acknowledge', current)}>{t('alerts.acknowledge')}</button>
                <button type="button" onClick={() => void act('resolve', current)}>{t('alerts.resolve')}</button>
                <button type="button" onClick={() => void act('false-alarm', current)}>{t('alerts.falseAlarm')}</button>
              </div>
            </aside>
          )}
        </div>
      )}
    </section>
  );
}
