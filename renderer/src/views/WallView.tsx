// /wall: every camera as a tile, coloured by the highest risk of its open alerts; /wall/<camera> is its detail.
// The grid lets the browser skip laying out and painting tiles far off screen (content-visibility), tiles off
// screen do not decode their thumbnails, and each tile follows its own camera's thumbnail, so a new frame redraws
// one tile, not the wall: a wall of 100 cameras stays smooth (`tcr bench wall` measures it).
import { useMemo } from 'react';
import type { GatewayClient } from '../api/gatewayClient.js';
import { currentLevels } from '../state/cameraLevel.js';
import { useLiveStore } from '../state/liveStore.js';
import { useT, useUiStore } from '../state/uiStore.js';
import { CameraDetailView } from './CameraDetailView.js';
import { CameraTile } from './CameraTile.js';

export function WallView({ client }: { client: GatewayClient }): React.JSX.Element {
  const t = useT();
  const { detailCamera, openCamera } = useUiStore();
  const cameras = useLiveStore((state) => state.cameras);
  const alerts = useLiveStore((state) => state.alerts);
  const levels = useMemo(() => currentLevels(alerts), [alerts]);
  if (detailCamera !== null) return <CameraDetailView client={client} cameraId={detailCamera} />;
  if (cameras.length === 0) return <p className="empty">{t('wall.empty')}</p>;
  return (
    <section className="wall">
      {cameras.map((camera) => (
        <CameraTile key={camera.id} camera={camera} level={levels[camera.id] ?? 'none'} onOpen={openCamera} />
      ))}
    </section>
  );
}
