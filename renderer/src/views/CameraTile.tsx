// One camera on the wall: its latest thumbnail with the detections and group outlines drawn on a canvas, its state
// and its current risk colour. `data-detections` is the number of boxes drawn (end-to-end tests read it).
import { useEffect, useRef, useState } from 'react';
import type { CameraView, RiskLevel } from '../../../backend/contracts/index.js';
import type { Thumbnail } from '../state/liveState.js';
import { useT } from '../state/uiStore.js';

const WIDTH = 320;
const HEIGHT = 180;

export const LEVEL_COLOURS: Record<RiskLevel, string> = { none: '#3a4a5c', low: '#2e8b57', medium: '#d4a017', high: '#e8590c', critical: '#e03131' };

function draw(canvas: HTMLCanvasElement, thumbnail: Thumbnail, image: HTMLImageElement | null): number {
  const context = canvas.getContext('2d');
  if (!context) return 0;
  context.fillStyle = '#0b0f14';
  context.fillRect(0, 0, WIDTH, HEIGHT);
  const scale = Math.min(WIDTH / thumbnail.frame_width, HEIGHT / thumbnail.frame_height);
  const [dx, dy] = [(WIDTH - thumbnail.frame_width * scale) / 2, (HEIGHT - thumbnail.frame_height * scale) / 2];
  if (image) context.drawImage(image, dx, dy, thumbnail.frame_width * scale, thumbnail.frame_height * scale);
  const rect = ([x1, y1, x2, y2]: readonly number[]): [number, number, number, number] => [dx + x1! * scale, dy + y1! * scale, (x2! - x1!) * scale, (y2! - y1!) * scale];
  context.setLineDash([4, 3]);
  context.strokeStyle = '#ffd43b';
  for (const group of thumbnail.groups) context.strokeRect(...rect(group.region));
  context.setLineDash([]);
  context.lineWidth = 1.5;
  context.font = '10px sans-serif';
  for (const detection of thumbnail.detections) {
    const [x, y, w, h] = rect(detection.box);
    context.strokeStyle = detection.class_name === 'person' ? '#4dabf7' : '#69db7c';
    context.strokeRect(x, y, w, h);
    context.fillStyle = context.strokeStyle;
    context.fillText(detection.class_name, x + 2, Math.max(10, y - 2));
  }
  return thumbnail.detections.length;
}

export function CameraTile({ camera, thumbnail, level }: { camera: CameraView; thumbnail: Thumbnail | undefined; level: RiskLevel }): React.JSX.Element {
  const t = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState(0);
  const [visible, setVisible] = useState(true);

  // Off-screen tiles are not redrawn: a wall of 100 cameras only paints what the operator sees.
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
    if (!thumbnail.jpeg_b64) return setDrawn(draw(element, thumbnail, null));
    const image = new Image();
    let current = true;
    image.onload = () => current && setDrawn(draw(element, thumbnail, image));
    image.onerror = () => current && setDrawn(draw(element, thumbnail, null));
    image.src = `data:image/jpeg;base64,${thumbnail.jpeg_b64}`;
    return () => {
      current = false;
    };
  }, [thumbnail, visible]);

  return (
    <figure className="camera-tile" data-testid="camera-tile" data-camera={camera.id} data-detections={drawn} data-state={camera.state} style={{ borderColor: LEVEL_COLOURS[level] }}>
      <canvas ref={canvas} width={WIDTH} height={HEIGHT} aria-label={camera.name ?? camera.id} />
      {!thumbnail && <div className="tile-empty">{t('wall.noImage')}</div>}
      <figcaption>
        <strong>{camera.name ?? camera.id}</strong> <span className={`camera-state camera-state-${camera.state}`}>{t(`camera.${camera.state}`)}</span>
        {camera.reason && <span className="camera-reason">{camera.reason}</span>}
        <span className="tile-counts">
          {camera.detections} {t('wall.detections')} · {camera.groups} {t('wall.groups')}
        </span>
      </figcaption>
    </figure>
  );
}
