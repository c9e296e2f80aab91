// The detector one process shares across its cameras: letterbox, one ONNX session run at a time, decode, NMS.
import pLimit from 'p-limit';
import * as ort from 'onnxruntime-node';
import type { Frame } from '../frame.js';
import type { ClassThresholds } from './candidate.js';
import { COCO_CLASSES } from './cocoClasses.js';
import { letterbox } from './letterbox.js';
import { MODEL_FORMATS, type ModelFormatName } from './modelFormats.js';
import { suppress } from './nms.js';
import { loadOnnxModel } from './onnxModel.js';

export interface DetectorSettings {
  modelPath: string;
  format: ModelFormatName;
  inputSize: number;
  scoreThreshold: number;
  /** Overrides of scoreThreshold by class name. */
  classThresholds: Readonly<Record<string, number>>;
  /** Class names kept; all others are dropped before NMS. */
  classes: readonly string[];
  /** Lists of classes that count as one object in NMS (e.g. car, truck, bus). */
  mergeClasses: readonly (readonly string[])[];
  nmsIou: number;
  intraOpThreads: number;
}

export interface DetectedObject {
  className: string;
  score: number;
  box: [number, number, number, number];
}

export interface DetectionTiming {
  /** letterbox and tensor layout */
  preprocessMs: number;
  /** session.run alone */
  inferMs: number;
  /** decode and NMS */
  postprocessMs: number;
}

export interface Detector {
  readonly modelName: string;
  detect(frame: Frame): Promise<{ objects: DetectedObject[]; timing: DetectionTiming }>;
  close(): Promise<void>;
}

export async function createDetector(settings: DetectorSettings): Promise<Detector> {
  const format = MODEL_FORMATS[settings.format];
  const classNames = COCO_CLASSES;
  const size = settings.inputSize;
  const model = await loadOnnxModel({ path: settings.modelPath, format, inputSize: size, classCount: classNames.length, intraOpThreads: settings.intraOpThreads });
  const thresholds = resolveThresholds(classNames, settings);
  const familyOf = resolveFamilies(classNames, settings.mergeClasses);
  // Runs are serialised: intra-op threads already use every core, and a queue keeps inferMs an honest figure.
  const oneAtATime = pLimit(1);

  const run = (tensor: Float32Array) =>
    oneAtATime(async () => {
      const started = performance.now();
      const outputs = await model.session.run({ [model.inputName]: new ort.Tensor('float32', tensor, [1, 3, size, size]) });
      const output = outputs[model.outputName]!;
      return { data: output.data as Float32Array, dims: output.dims, inferMs: performance.now() - started };
    });

  await run(new Float32Array(3 * size * size).fill(format.layout.padValue * format.layout.scale)); // warm-up: the first run allocates

  return {
    modelName: settings.modelPath.split(/[\\/]/).pop()!.replace(/\.onnx$/i, ''),
    async detect(frame) {
      const started = performance.now();
      const boxed = await letterbox(frame, size, format.layout);
      const preprocessMs = performance.now() - started;
      const { data, dims, inferMs } = await run(boxed.tensor);
      const decodeStarted = performance.now();
      const geometry = { inputSize: size, ratio: boxed.ratio, offsetX: boxed.offsetX, offsetY: boxed.offsetY, frameWidth: frame.width, frameHeight: frame.height };
      const kept = suppress(format.decode(data, dims, classNames.length, thresholds, geometry), settings.nmsIou, familyOf);
      const objects = kept.map((c) => ({ className: classNames[c.classIndex]!, score: c.score, box: c.box }));
      return { objects, timing: { preprocessMs, inferMs, postprocessMs: performance.now() - decodeStarted } };
    },
    close: () => model.session.release(),
  };
}

function resolveThresholds(classNames: readonly string[], settings: DetectorSettings): ClassThresholds {
  const kept = new Set(settings.classes);
  return Float64Array.from(classNames, (name) => (kept.has(name) ? (settings.classThresholds[name] ?? settings.scoreThreshold) : Infinity));
}

function resolveFamilies(classNames: readonly string[], mergeClasses: DetectorSettings['mergeClasses']): (classIndex: number) => number {
  const family = classNames.map((_, index) => index);
  for (const members of mergeClasses) {
    const indexes = members.map((name) => classNames.indexOf(name)).filter((index) => index >= 0);
    for (const index of indexes) family[index] = indexes[0]!;
  }
  return (classIndex) => family[classIndex]!;
}
