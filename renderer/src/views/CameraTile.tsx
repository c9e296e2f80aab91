// One camera on the wall: its latest thumbnail with the detections and group outlines drawn on a canvas, its state,
// its current risk colour and a warning when detection skips its frames. `data-detections` is the number of boxes
// drawn (end-to-end tests read it). A tile off screen is not painted; a click opens the camera's detail view.
import { useEffect, useRef, useState } from 'react';
import type { CameraView, RiskLevel } from '../../../backend/contracts/index.js';
import { SKIP_WARNING_SHARE } from '../state/cameraHealth.js';
import type { Thumbnail } from '../state/liveState.js';
import { useT } from '../state/uiStore.js';
import { paintThumbnail } from './frameDrawing.js';

const WIDTH = 320;
const HEIGHT = 180;

export interface CameraTileProps {
  camera: CameraView;
  thumbnail: Thumbnail | undefined;
  level: RiskLevel;
  skippedShare: number | null;
  onOpen(): void;
}

export function CameraTile({ camera, thumbnail, level, skippedShare, onOpen }: CameraTileProps): React.JSX.Element {
  const t = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState(0);
  const [visible, setVisible] = useState(true);

  // Off-screen tiles are not redrawn: a wall of 100 cameras only decodes and paints what the operator sees.
  useEffect(() => {
    const element = canvas.current;
    if (!element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(([entry]) => setVisible(entry?.isIntersecting ?? true));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = canvas.current;
    if (!element || !thumbnail || !visible) return;
    return paintThumbnail(element, thumbnail, setDrawn);
  }, [thumbnail, visible]);

  const skipping = skippedShare !== null && skippedShare >= SKIP_WARNING_SHARE;
  return (
    <figure className={`camera-tile level-${level}`} data-testid="camera-tile" data-camera={camera.id} data-detections={drawn} data-state={camera.state} data-level={level}>
      <button type="button" className="tile-open" onClick={onOpen} aria-label={camera.name ?? camera.id}>
        <canvas ref={canvas} width={WIDTH} height={HEIGHT} />
      </button>
      {!thumbnail && <div className="tile-empty">{t('wall.noImage')}</div>}
      <figcaption>
        <strong>{camera.name ?? camera.id}</strong> <span className={`camera-state camera-state-${camera.state}`}>{t(`camera.${camera.state}`)}</span>
        {camera.reason && <span className="camera-reason">{camera.reason}</span>}
        {skipping && (
          <span className="skip-warning" data-testid="skip-warning">
            ⚠ {Math.round(skippedShare * 100)}% {t('wall.skippedWarning')}
          </span>
        )}
        <span className="tile-counts">
          {camera.detections} {t('wall.detections')} · {camera.groups} {t('wall.groups')}
        </span>
      </figcaption>
    </figure>
  );
}
