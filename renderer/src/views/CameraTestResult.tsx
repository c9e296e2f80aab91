// A camera test's frame with the boxes the detector found, or why no frame came.
import { useEffect, useRef, useState } from 'react';
import type { CameraTestResult } from '../../../backend/contracts/index.js';
import { useT } from '../state/uiStore.js';
import { paintThumbnail } from './frameDrawing.js';

export function CameraTestView({ result }: { result: CameraTestResult }): React.JSX.Element {
  const t = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState(0);
  useEffect(() => {
    if (!canvas.current || !result.ok || result.frame_width === null || result.frame_height === null) return;
    return paintThumbnail(canvas.current, { frame_width: result.frame_width, frame_height: result.frame_height, jpeg_b64: result.jpeg_b64, detections: result.detections, groups: [] }, setDrawn);
  }, [result]);
  if (!result.ok) {
    return (
      <p className="problem" data-testid="camera-test-failed">
        {t('settings.testFailed')}: {result.reason}
      </p>
    );
  }
  return (
    <figure className="camera-test" data-testid="camera-test" data-detections={drawn}>
      <canvas ref={canvas} width={480} height={270} />
      <figcaption>
        {result.detections.length} {t('settings.testFound')} · {result.infer_ms} ms
      </figcaption>
    </figure>
  );
}
