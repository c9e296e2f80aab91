// The model families the detector understands, selected by `detector.model.format`: input layout, output shape, decoder.
import type { Candidate, ClassThresholds, DecodeGeometry } from './candidate.js';
import type { InputLayout } from './letterbox.js';
import { decodeYolov8 } from './yolov8Decoder.js';
import { decodeYolox, yoloxAnchorCount } from './yoloxDecoder.js';

export type OutputDims = readonly (number | string)[];

export interface ModelFormat {
  layout: InputLayout;
  /** The output shape this format needs, for error messages: e.g. "[1, 3549, 85]". */
  expectedOutput(inputSize: number, classCount: number): string;
  /** True when `dims` (as the model declares or returns them) fit this format; symbolic dims fit anything. */
  fits(dims: OutputDims, inputSize: number, classCount: number): boolean;
  decode(output: Float32Array, dims: readonly number[], classCount: number, thresholds: ClassThresholds, geometry: DecodeGeometry): Candidate[];
}

const dimFits = (actual: number | string | undefined, expected: number | null): boolean =>
  typeof actual === 'string' || (typeof actual === 'number' && (expected === null || actual === expected));

export const MODEL_FORMATS = {
  // YOLOX as exported by its tools/export_onnx.py: BGR, 0–255, image at the top-left, padding 114.
  yolox: {
    layout: { channelOrder: 'bgr', scale: 1, placement: 'top-left', padValue: 114 },
    expectedOutput: (size, classes) => `[1, ${yoloxAnchorCount(size)}, ${5 + classes}]`,
    fits: (dims, size, classes) => dims.length === 3 && dimFits(dims[0], 1) && dimFits(dims[1], yoloxAnchorCount(size)) && dimFits(dims[2], 5 + classes),
    decode: (output, _dims, classes, thresholds, geometry) => decodeYolox(output, classes, thresholds, geometry),
  },
  // Ultralytics YOLOv8/v11 exports: RGB, 0–1, centred letterbox with padding 114, output [1, 4 + classes, anchors].
  yolov8: {
    layout: { channelOrder: 'rgb', scale: 1 / 255, placement: 'center', padValue: 114 },
    expectedOutput: (_size, classes) => `[1, ${4 + classes}, anchors]`,
    fits: (dims, _size, classes) => dims.length === 3 && dimFits(dims[0], 1) && dimFits(dims[1], 4 + classes) && dimFits(dims[2], null),
    decode: (output, dims, classes, thresholds, geometry) => decodeYolov8(output, classes, dims[2]!, thresholds, geometry),
  },
} satisfies Record<string, ModelFormat>;

export type ModelFormatName = keyof typeof MODEL_FORMATS;
