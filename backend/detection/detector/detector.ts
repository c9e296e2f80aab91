// The detector one process shares across its cameras: letterbox, one ONNX session run at a time, decode, NMS.
import type { Frame } from '../frame.js';
import type { ClassThresholds } from './candidate.js';
import { COCO_CLASSES } from './cocoClasses.js';
import { letterbox } from './letterbox.js';
import { MODEL_FORMATS, type ModelFormatName } from './modelFormats.js';
import { suppress } from './nms.js';
import { startInferenceThread } from './inferenceThread.js';

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
  /** `resized` is the frame as the model saw it (before padding). */
  detect(frame: Frame): Promise<{ objects: DetectedObject[]; timing: DetectionTiming; resized: Frame }>;
  close(): Promise<void>;
}

export async function createDetector(settings: DetectorSettings): Promise<Detector> {
  const format = MODEL_FORMATS[settings.format];
  const classNames = COCO_CLASSES;
  const size = settings.inputSize;
  // One worker thread runs the session, one frame at a time, so inferMs is session.run alone and the
  // main thread keeps decoding and publishing the other cameras meanwhile.
  const inference = await startInferenceThread({
    path: settings.modelPath,
    formatName: settings.format,
    inputSize: size,
    classCount: classNames.length,
    intraOpThreads: settings.intraOpThreads,
  });
  const thresholds = resolveThresholds(classNames, settings);
  const familyOf = resolveFamilies(classNames, settings.mergeClasses);
  const run = (tensor: Float32Array) => inference.run(tensor, size);

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
      return { objects, resized: boxed.resized, timing: { preprocessMs, inferMs, postprocessMs: performance.now() - decodeStarted } };
    },
    close: () => inference.close(),
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
