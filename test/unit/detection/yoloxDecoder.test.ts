import { describe, expect, it } from 'vitest';
import { decodeYolox, yoloxAnchorCount } from '../../../backend/detection/detector/yoloxDecoder.js';

const CLASSES = 80;
const COLUMNS = 5 + CLASSES;
const keepAll = Float64Array.from({ length: CLASSES }, () => 0.3);
const geometry = { inputSize: 416, ratio: 0.5, offsetX: 0, offsetY: 0, frameWidth: 832, frameHeight: 600 };

/** An output with every score 0 but the rows given. */
function output(rows: { row: number; tx: number; ty: number; tw: number; th: number; obj: number; cls: number; score: number }[]): Float32Array {
  const data = new Float32Array(yoloxAnchorCount(416) * COLUMNS);
  for (const r of rows) {
    data.set([r.tx, r.ty, r.tw, r.th, r.obj], r.row * COLUMNS);
    data[r.row * COLUMNS + 5 + r.cls] = r.score;
  }
  return data;
}

describe('detection > yoloxDecoder', () => {
  it('counts 3549 anchors for a 416 input (52² + 26² + 13²)', () => {
    expect(yoloxAnchorCount(416)).toBe(3549);
  });

  it('decodes grid offsets, stride and exp sizes into frame pixels through the letterbox ratio', () => {
    // stride 16 level starts at row 2704; cell (gx 3, gy 2) of its 26-wide grid.
    const row = 2704 + 2 * 26 + 3;
    const [c] = decodeYolox(output([{ row, tx: 0.5, ty: 0.25, tw: Math.log(2), th: 0, obj: 0.9, cls: 2, score: 0.8 }]), CLASSES, keepAll, geometry);
    // centre (3.5·16, 2.25·16) = (56, 36), size (32, 16) in input pixels; ÷ 0.5 to the frame.
    expect(c!.classIndex).toBe(2);
    expect(c!.score).toBeCloseTo(0.72, 5);
    expect(c!.box.map((v) => Math.round(v * 100) / 100)).toEqual([80, 56, 144, 88]);
  });

  it('scores objectness × class score and drops what is under the class threshold', () => {
    const thresholds = Float64Array.from(keepAll);
    thresholds[0] = Infinity; // class 0 not kept
    const decoded = decodeYolox(
      output([
        { row: 0, tx: 0, ty: 0, tw: 0, th: 0, obj: 0.5, cls: 2, score: 0.5 }, // 0.25 < 0.3
        { row: 1, tx: 0, ty: 0, tw: 0, th: 0, obj: 0.9, cls: 0, score: 0.9 }, // class not kept
        { row: 3548, tx: 0, ty: 0, tw: 0, th: 0, obj: 0.8, cls: 7, score: 0.5 }, // last stride-32 cell: kept
      ]),
      CLASSES,
      thresholds,
      geometry,
    );
    expect(decoded.map((c) => c.classIndex)).toEqual([7]);
    expect(decoded[0]!.box[2]).toBeLessThanOrEqual(832); // clipped to the frame
  });
});
