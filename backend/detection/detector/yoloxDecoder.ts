// YOLOX head output [1, anchors, 5 + classes]: raw grid offsets, sigmoid objectness and class scores.
import { toFrameBox, type Candidate, type ClassThresholds, type DecodeGeometry } from './candidate.js';

export const YOLOX_STRIDES = [8, 16, 32] as const;

/** 3549 for a 416 input: 52² + 26² + 13². */
export function yoloxAnchorCount(inputSize: number): number {
  return YOLOX_STRIDES.reduce((sum, stride) => sum + (inputSize / stride) ** 2, 0);
}

export function decodeYolox(output: Float32Array, classCount: number, thresholds: ClassThresholds, g: DecodeGeometry): Candidate[] {
  const columns = 5 + classCount;
  const lowest = Math.min(...thresholds);
  const candidates: Candidate[] = [];
  let row = 0;
  for (const stride of YOLOX_STRIDES) {
    const grid = g.inputSize / stride;
    for (let gy = 0; gy < grid; gy++) {
      for (let gx = 0; gx < grid; gx++, row++) {
        const base = row * columns;
        const objectness = output[base + 4]!;
        if (objectness < lowest) continue; // score = objectness × class score ≤ objectness
        let best = 0;
        for (let k = 1; k < classCount; k++) if (output[base + 5 + k]! > output[base + 5 + best]!) best = k;
        const score = objectness * output[base + 5 + best]!;
        if (score < thresholds[best]!) continue;
        const cx = (output[base]! + gx) * stride;
        const cy = (output[base + 1]! + gy) * stride;
        const w = Math.exp(output[base + 2]!) * stride;
        const h = Math.exp(output[base + 3]!) * stride;
        candidates.push({ classIndex: best, score, box: toFrameBox(cx, cy, w, h, g) });
      }
    }
  }
  return candidates;
}
