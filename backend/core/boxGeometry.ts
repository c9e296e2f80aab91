// Arithmetic of [x1, y1, x2, y2] boxes, shared by detection (NMS, tracker, groups) and the expander (de-duplication).

export type Box = [number, number, number, number];

export function boxArea(b: Box): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

/** A length that stands for an object's size (√area): distances are judged relative to it. */
export function boxScale(b: Box): number {
  return Math.sqrt(boxArea(b));
}

export function boxCenter(b: Box): [number, number] {
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
}

/** Shortest distance between two boxes' edges; 0 when they touch or overlap. */
export function boxGap(a: Box, b: Box): number {
  const dx = Math.max(0, Math.max(a[0], b[0]) - Math.min(a[2], b[2]));
  const dy = Math.max(0, Math.max(a[1], b[1]) - Math.min(a[3], b[3]));
  return Math.hypot(dx, dy);
}

export function unionBox(boxes: readonly Box[]): Box {
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
}

export function shiftBox(b: Box, dx: number, dy: number): Box {
  return [b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy];
}

/** Intersection over union; 0 for boxes that only touch. */
export function iou(a: readonly number[], b: readonly number[]): number {
  const iw = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!);
  const ih = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - inter;
  return union <= 0 ? 0 : inter / union;
}

/**
 * Whether a gap between boxes (null: no such pair) moved by more than `fraction` of its old value. A few
 * pixels of box jitter on touching boxes is not a change; the 20 px floor keeps tiny gaps from flapping.
 */
export function gapChanged(before: number | null, after: number | null, fraction: number): boolean {
  if (before === null || after === null) return before !== after;
  return Math.abs(after - before) > fraction * Math.max(before, 20);
}
