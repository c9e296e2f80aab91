// What a decoder hands to NMS: one scored box in frame pixels, with its class index.

export interface Candidate {
  classIndex: number;
  score: number;
  /** [x1, y1, x2, y2] in frame pixels, clipped to the frame. */
  box: [number, number, number, number];
}

/** The frame and letterbox geometry a decoder needs to map model-input pixels back to frame pixels. */
export interface DecodeGeometry {
  inputSize: number;
  ratio: number;
  offsetX: number;
  offsetY: number;
  frameWidth: number;
  frameHeight: number;
}

/** Maps a centre/size box from model-input pixels to a clipped frame-pixel box. */
export function toFrameBox(cx: number, cy: number, w: number, h: number, g: DecodeGeometry): [number, number, number, number] {
  const clip = (value: number, max: number): number => Math.min(max, Math.max(0, value));
  return [
    clip((cx - w / 2 - g.offsetX) / g.ratio, g.frameWidth),
    clip((cy - h / 2 - g.offsetY) / g.ratio, g.frameHeight),
    clip((cx + w / 2 - g.offsetX) / g.ratio, g.frameWidth),
    clip((cy + h / 2 - g.offsetY) / g.ratio, g.frameHeight),
  ];
}

/** Per-class score thresholds resolved once: index → threshold, Infinity for classes that are not kept. */
export type ClassThresholds = Float64Array;
