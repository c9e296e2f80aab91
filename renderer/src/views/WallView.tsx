// /wall: every camera as a tile, coloured by the highest risk of its open alerts.
import { RISK_LEVELS, type RiskLevel } from '../../../backend/contracts/index.js';
import { useLiveStore } from '../state/liveStore.js';
import { useT } from '../state/uiStore.js';
import { CameraTile } from './CameraTile.js';

export function WallView(): React.JSX.Element {
  const t = useT();
  const cameras = useLiveStore((state) => state.cameras);
  const thumbnails = useLiveStore((state) => state.thumbnails);
  const alerts = useLiveStore((state) => state.alerts);
  const levelOf = (cameraId: string): RiskLevel =>
    Object.values(alerts)
      .filter((alert) => alert.camera_id === cameraId && (alert.state === 'new' || alert.state === 'acknowledged'))
      .reduce<RiskLevel>((highest, alert) => (RISK_LEVELS.indexOf(alert.level) > RISK_LEVELS.indexOf(highest) ? alert.level : highest), 'none');
  if (cameras.length === 0) return <p className="empty">{t('wall.empty')}</p>;
  return (
    <section className="wall">
      {cameras.map((camera) => (
        <CameraTile key={camera.id} camera={camera} thumbnail={thumbnails[camera.id]} level={levelOf(camera.id)} />
      ))}
    </section>
  );
}
