// The selected alert: its group crop, the assessor's description, risk types and recommended action (from the
// verdict behind it), and the operator's actions.
import { useEffect, useState } from 'react';
import type { AlertView, RiskAssessmentResultMessage } from '../../../backend/contracts/index.js';
import type { GatewayClient } from '../api/gatewayClient.js';
import { conflictText, type ResultConflict } from '../state/conflictText.js';
import { useT } from '../state/uiStore.js';

export type AlertAction = 'acknowledge' | 'resolve' | 'false-alarm';

function CropImage({ client, taskId }: { client: GatewayClient; taskId: string }): React.JSX.Element | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let current = true;
    client.blob(`/api/results/${encodeURIComponent(taskId)}/crop`).then(
      (blob) => {
        if (!blob || !current) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      () => undefined,
    );
    return () => {
      current = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      setUrl(null);
    };
  }, [client, taskId]);
  return url ? <img className="alert-crop" data-testid="alert-crop" src={url} alt="" /> : null;
}

function useVerdict(client: GatewayClient, taskId: string | null): RiskAssessmentResultMessage | null {
  const [verdict, setVerdict] = useState<RiskAssessmentResultMessage | null>(null);
  useEffect(() => {
    setVerdict(null);
    if (taskId === null) return;
    let current = true;
    client.get<RiskAssessmentResultMessage>(`/api/results/${encodeURIComponent(taskId)}`).then(
      (found) => current && setVerdict(found),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client, taskId]);
  return verdict;
}

/** "行人与车辆 TTC 1.2 s" next to the crop: the measure the verdict rests on. */
function ConflictLine({ conflict }: { conflict: ResultConflict }): React.JSX.Element | null {
  const t = useT();
  const text = conflictText(conflict, t);
  if (text === null) return null;
  return (
    <p className="alert-conflict" data-testid="alert-conflict">
      {t('alerts.conflict')}: {text}
    </p>
  );
}

export function AlertDetail({ client, alert, onAct }: { client: GatewayClient; alert: AlertView; onAct(action: AlertAction): void }): React.JSX.Element {
  const t = useT();
  const verdict = useVerdict(client, alert.last_task_id);
  return (
    <aside className="alert-detail" data-testid="alert-detail">
      <h2>
        {t(`level.${alert.level}`)} · {alert.camera_id ?? alert.subject}
      </h2>
      {alert.last_task_id && <CropImage client={client} taskId={alert.last_task_id} />}
      <p>{alert.risk_types.map((type) => t(`risk.${type}`)).join(' · ')}</p>
      <h3>{t('alerts.description')}</h3>
      <p data-testid="alert-description">{verdict?.description ?? alert.summary}</p>
      {verdict?.conflict && <ConflictLine conflict={verdict.conflict} />}
      {verdict && (
        <>
          <h3>{t('alerts.action')}</h3>
          <p data-testid="alert-recommended-action">{verdict.recommended_action}</p>
          <p className="hint">
            {t('alerts.assessor')}: {verdict.assessor.type}
            {verdict.assessor.model ? ` (${verdict.assessor.model})` : ''}
          </p>
        </>
      )}
      <div className="actions">
        <button type="button" onClick={() => onAct('acknowledge')}>
          {t('alerts.acknowledge')}
        </button>
        <button type="button" onClick={() => onAct('resolve')}>
          {t('alerts.resolve')}
        </button>
        <button type="button" onClick={() => onAct('false-alarm')}>
          {t('alerts.falseAlarm')}
        </button>
      </div>
    </aside>
  );
}
