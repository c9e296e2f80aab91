// One camera on the wall: its latest thumbnail with the detections and group outlines drawn on a canvas, its state,
// its current risk colour and a warning when detection skips its frames. `data-detections` is the number of boxes
// drawn and `data-frame` the capture time of the frame drawn (end-to-end tests and the wall bench read them). A
// tile off screen is not painted; a click opens the camera's detail view.
import { memo, useEffect, useRef, useState } from 'react';
import type { CameraView, RiskLevel } from '../../../backend/contracts/index.js';
import { SKIP_WARNING_SHARE, skippedShare } from '../state/cameraHealth.js';
import { useLiveStore } from '../state/liveStore.js';
import { useT } from '../state/uiStore.js';
import { paintThumbnail } from './frameDrawing.js';

const WIDTH = 320;
const HEIGHT = 180;

export interface CameraTileProps {
  camera: CameraView;
  level: RiskLevel;
  onOpen(cameraId: string): void;
}

export const CameraTile = memo(function CameraTile({ camera, level, onOpen }: CameraTileProps): React.JSX.Element {
  const t = useT();
  const thumbnail = useLiveStore((state) => state.thumbnails[camera.id]);
  const skipped = useLiveStore((state) => skippedShare(state.cameraHistory[camera.id]));
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState({ boxes: 0, capturedAtMs: null as number | null });
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
    return paintThumbnail(element, thumbnail, (boxes) => setDrawn({ boxes, capturedAtMs: thumbnail.captured_at_ms }));
  }, [thumbnail, visible]);

  const skipping = skipped !== null && skipped >= SKIP_WARNING_SHARE;
  return (
    <figure className={`camera-tile level-${level}`} data-testid="camera-tile" data-camera={camera.id} data-detections={drawn.boxes} data-frame={drawn.capturedAtMs ?? ''} data-state={camera.state} data-level={level}>
      <button type="button" className="tile-open" onClick={() => onOpen(camera.id)} aria-label={camera.name ?? camera.id}>
        <canvas ref={canvas} width={WIDTH} height={HEIGHT} />
      </button>
      {!thumbnail && <div className="tile-empty">{t('wall.noImage')}</div>}
      <figcaption>
        <strong>{camera.name ?? camera.id}</strong> <span className={`camera-state camera-state-${camera.state}`}>{t(`camera.${camera.state}`)}</span>
        {camera.reason && <span className="camera-reason">{camera.reason}</span>}
        {camera.decode_note && <span className="camera-reason camera-decode-note">{camera.decode_note}</span>}
        {skipping && (
          <span className="skip-warning" data-testid="skip-warning">
            ⚠ {Math.round(skipped * 100)}% {t('wall.skippedWarning')}
          </span>
        )}
        <span className="tile-counts">
          {camera.detections} {t('wall.detections')} · {camera.groups} {t('wall.groups')}
        </span>
      </figcaption>
    </figure>
  );
});
