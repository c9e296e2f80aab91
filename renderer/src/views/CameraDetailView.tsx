// /wall/<camera>: one camera large, with its tracks and groups, its recent verdicts and its alerts.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RiskAssessmentResultMessage } from '../../../backend/contracts/index.js';
import type { GatewayClient } from '../api/gatewayClient.js';
import { sortedAlerts } from '../state/liveState.js';
import { useLiveStore } from '../state/liveStore.js';
import { useT, useUiStore } from '../state/uiStore.js';
import { paintThumbnail } from './frameDrawing.js';

const RECENT = 20;

export function CameraDetailView({ client, cameraId }: { client: GatewayClient; cameraId: string }): React.JSX.Element {
  const t = useT();
  const { openCamera, setView } = useUiStore();
  const camera = useLiveStore((state) => state.cameras.find((entry) => entry.id === cameraId));
  const thumbnail = useLiveStore((state) => state.thumbnails[cameraId]);
  const liveResults = useLiveStore((state) => state.results);
  const byId = useLiveStore((state) => state.alerts);
  const alerts = useMemo(() => sortedAlerts(byId).filter((alert) => alert.camera_id === cameraId), [byId, cameraId]);
  const newestLive = liveResults.find((result) => result.camera_id === cameraId)?.task_id;
  const [results, setResults] = useState<RiskAssessmentResultMessage[] | null>(null);
  const [drawn, setDrawn] = useState(0);
  const canvas = useRef<HTMLCanvasElement>(null);

  // The stored history, fetched again whenever a new verdict of this camera arrives on the stream.
  useEffect(() => {
    let current = true;
    client.get<{ results: RiskAssessmentResultMessage[] }>(`/api/cameras/${encodeURIComponent(cameraId)}/results?limit=${RECENT}`).then(
      (page) => current && setResults(page.results),
      () => current && setResults([]),
    );
    return () => {
      current = false;
    };
  }, [client, cameraId, newestLive]);

  useEffect(() => {
    if (!canvas.current || !thumbnail) return;
    return paintThumbnail(canvas.current, thumbnail, setDrawn, { trackIds: true });
  }, [thumbnail]);

  if (!camera) return <p className="empty">{t('wall.notFound')}</p>;
  const tracked = thumbnail?.detections.filter((detection) => detection.track_id !== null) ?? [];
  return (
    <section className="camera-detail" data-testid="camera-detail" data-camera={cameraId} data-detections={drawn}>
      <button type="button" onClick={() => openCamera(null)}>
        ← {t('wall.back')}
      </button>
      <h2>
        {camera.name ?? camera.id} <span className={`camera-state camera-state-${camera.state}`}>{t(`camera.${camera.state}`)}</span>
        {camera.reason && <span className="camera-reason"> {camera.reason}</span>}
        {camera.decode_note && <span className="camera-reason camera-decode-note"> {camera.decode_note}</span>}
      </h2>
      <div className="detail-body">
        <div>
          <canvas ref={canvas} width={960} height={540} className="detail-canvas" />
          {!thumbnail && <p className="empty">{t('wall.noImage')}</p>}
          <h3>{t('wall.tracks')}</h3>
          <ul className="track-list">
            {tracked.map((detection) => (
              <li key={detection.track_id}>
                #{detection.track_id} {detection.class_name} ({Math.round(detection.score * 100)}%)
              </li>
            ))}
          </ul>
          <p>
            {thumbnail?.groups.length ?? 0} {t('wall.groups')}
          </p>
        </div>
        <div>
          <h3>{t('wall.cameraAlerts')}</h3>
          {alerts.length === 0 ? (
            <p className="empty">{t('alerts.empty')}</p>
          ) : (
            <ul className="compact-list">
              {alerts.map((alert) => (
                <li key={alert.id} className={`level-${alert.level}`}>
                  <button type="button" className="link" onClick={() => setView('alerts')}>
                    {t(`level.${alert.level}`)} · {t(`state.${alert.state}`)} · {alert.summary}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <h3>{t('wall.recentResults')}</h3>
          {results === null ? (
            <p>{t('common.loading')}</p>
          ) : results.length === 0 ? (
            <p className="empty">{t('wall.noResults')}</p>
          ) : (
            <ul className="compact-list" data-testid="camera-results">
              {results.map((result) => (
                <li key={result.task_id} className={`level-${result.risk_level}`}>
                  {new Date(result.captured_at_ms).toLocaleTimeString()} · {t(`level.${result.risk_level}`)} · {result.description}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
