// /wall: every camera as a tile, coloured by the highest risk of its open alerts; /wall/<camera> is its detail.
// The grid lets the browser skip laying out and painting tiles far off screen (content-visibility), and tiles
// off screen do not decode their thumbnails, so a wall of 100 cameras stays smooth.
import { useMemo } from 'react';
import type { GatewayClient } from '../api/gatewayClient.js';
import { skippedShare } from '../state/cameraHealth.js';
import { currentLevels } from '../state/cameraLevel.js';
import { useLiveStore } from '../state/liveStore.js';
import { useT, useUiStore } from '../state/uiStore.js';
import { CameraDetailView } from './CameraDetailView.js';
import { CameraTile } from './CameraTile.js';

export function WallView({ client }: { client: GatewayClient }): React.JSX.Element {
  const t = useT();
  const { detailCamera, openCamera } = useUiStore();
  const cameras = useLiveStore((state) => state.cameras);
  const thumbnails = useLiveStore((state) => state.thumbnails);
  const history = useLiveStore((state) => state.cameraHistory);
  const alerts = useLiveStore((state) => state.alerts);
  const levels = useMemo(() => currentLevels(alerts), [alerts]);
  if (detailCamera !== null) return <CameraDetailView client={client} cameraId={detailCamera} />;
  if (cameras.length === 0) return <p className="empty">{t('wall.empty')}</p>;
  return (
    <section className="wall">
      {cameras.map((camera) => (
        <CameraTile
          key={camera.id}
          camera={camera}
          thumbnail={thumbnails[camera.id]}
          level={levels[camera.id] ?? 'none'}
          skippedShare={skippedShare(history[camera.id])}
          onOpen={() => openCamera(camera.id)}
        />
      ))}
    </section>
  );
}
