// YOLOv8-style output [1, 4 + classes, anchors]: centre/size in input pixels, then per-class scores (no objectness).
import { toFrameBox, type Candidate, type ClassThresholds, type DecodeGeometry } from './candidate.js';

export function decodeYolov8(output: Float32Array, classCount: number, anchors: number, thresholds: ClassThresholds, g: DecodeGeometry): Candidate[] {
  const candidates: Candidate[] = [];
  // Column-major per anchor: value (c, a) sits at c * anchors + a.
  for (let a = 0; a < anchors; a++) {
    let best = 0;
    let bestScore = output[4 * anchors + a]!;
    for (let k = 1; k < classCount; k++) {
      const score = output[(4 + k) * anchors + a]!;
      if (score > bestScore) {
        best = k;
        bestScore = score;
      }
    }
    if (bestScore < thresholds[best]!) continue;
    const cx = output[a]!;
    const cy = output[anchors + a]!;
    const w = output[2 * anchors + a]!;
    const h = output[3 * anchors + a]!;
    candidates.push({ classIndex: best, score: bestScore, box: toFrameBox(cx, cy, w, h, g) });
  }
  return candidates;
}
