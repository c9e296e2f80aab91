import { describe, expect, it } from 'vitest';
import { decodeYolov8 } from '../../../backend/detection/detector/yolov8Decoder.js';

describe('detection > yolov8Decoder', () => {
  it('reads the transposed [4 + classes, anchors] layout and maps centred letterbox pixels back to the frame', () => {
    const classes = 3;
    const anchors = 4;
    const data = new Float32Array((4 + classes) * anchors);
    const set = (channel: number, anchor: number, value: number): void => void (data[channel * anchors + anchor] = value);
    // anchor 2: centre (320, 320), 64 × 32, class 1 at 0.9; the others score nothing
    for (const [channel, value] of [[0, 320], [1, 320], [2, 64], [3, 32], [4 + 1, 0.9], [4 + 2, 0.4]] as const) set(channel, 2, value);
    const thresholds = Float64Array.from([0.25, 0.25, 0.25]);
    const geometry = { inputSize: 640, ratio: 0.5, offsetX: 0, offsetY: 80, frameWidth: 1280, frameHeight: 960 };
    const decoded = decodeYolov8(data, classes, anchors, thresholds, geometry);
    expect(decoded).toHaveLength(1);
    expect(decoded[0]!.classIndex).toBe(1);
    expect(decoded[0]!.box).toEqual([576, 448, 704, 512]);
  });
});
