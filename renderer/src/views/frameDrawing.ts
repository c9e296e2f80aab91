// Draws a camera's latest frame with its detection boxes and group outlines on a canvas of any size, letterboxed.
import type { Thumbnail } from '../state/liveState.js';

/** What a drawing needs of a frame: a live thumbnail, or a camera test's one frame. */
export type FramePicture = Pick<Thumbnail, 'frame_width' | 'frame_height' | 'jpeg_b64' | 'detections' | 'groups'>;

export interface DrawOptions {
  /** Label boxes with their track number as well as their class (the detail view). */
  trackIds: boolean;
}

/** Returns the number of boxes drawn. */
export function drawFrame(canvas: HTMLCanvasElement, thumbnail: FramePicture, image: HTMLImageElement | null, options: DrawOptions = { trackIds: false }): number {
  const context = canvas.getContext('2d');
  if (!context) return 0;
  const { width, height } = canvas;
  context.fillStyle = '#0b0f14';
  context.fillRect(0, 0, width, height);
  const scale = Math.min(width / thumbnail.frame_width, height / thumbnail.frame_height);
  const [dx, dy] = [(width - thumbnail.frame_width * scale) / 2, (height - thumbnail.frame_height * scale) / 2];
  if (image) context.drawImage(image, dx, dy, thumbnail.frame_width * scale, thumbnail.frame_height * scale);
  const rect = ([x1, y1, x2, y2]: readonly number[]): [number, number, number, number] => [dx + x1! * scale, dy + y1! * scale, (x2! - x1!) * scale, (y2! - y1!) * scale];
  context.setLineDash([4, 3]);
  context.strokeStyle = '#ffd43b';
  context.lineWidth = width > 640 ? 2 : 1;
  for (const group of thumbnail.groups) context.strokeRect(...rect(group.region));
  context.setLineDash([]);
  context.lineWidth = width > 640 ? 2.5 : 1.5;
  context.font = `${width > 640 ? 14 : 10}px sans-serif`;
  for (const detection of thumbnail.detections) {
    const [x, y, w, h] = rect(detection.box);
    context.strokeStyle = detection.class_name === 'person' ? '#4dabf7' : '#69db7c';
    context.strokeRect(x, y, w, h);
    context.fillStyle = context.strokeStyle;
    const label = options.trackIds && detection.track_id !== null ? `${detection.class_name} #${detection.track_id}` : detection.class_name;
    context.fillText(label, x + 2, Math.max(12, y - 3));
  }
  return thumbnail.detections.length;
}

/** Keeps a canvas showing the latest thumbnail; `onDrawn` gets the number of boxes drawn. Returns a cancel. */
export function paintThumbnail(canvas: HTMLCanvasElement, thumbnail: FramePicture, onDrawn: (boxes: number) => void, options?: DrawOptions): () => void {
  if (!thumbnail.jpeg_b64) {
    onDrawn(drawFrame(canvas, thumbnail, null, options));
    return () => undefined;
  }
  const image = new Image();
  let current = true;
  image.src = `data:image/jpeg;base64,${thumbnail.jpeg_b64}`;
  // decode() decodes off the main thread; drawing an image only loaded would decode it in the frame that draws.
  image.decode().then(
    () => current && onDrawn(drawFrame(canvas, thumbnail, image, options)),
    () => current && onDrawn(drawFrame(canvas, thumbnail, null, options)),
  );
  return () => {
    current = false;
  };
}
