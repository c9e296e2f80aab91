// The detector one process shares across its cameras: letterbox, ONNX sessions on worker threads, decode, NMS.
import { availableParallelism } from 'node:os';
import type { Frame } from '../frame.js';
import type { ClassThresholds } from './candidate.js';
import { COCO_CLASSES } from './cocoClasses.js';
import { letterbox, type Letterboxed } from './letterbox.js';
import { MODEL_FORMATS, type ModelFormatName } from './modelFormats.js';
import { suppress } from './nms.js';
import { startInferencePool } from './inferencePool.js';

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
  /** Sessions, each on its own worker thread (0: one per core). */
  sessions: number;
  /** onnxruntime threads per session (0: the cores shared out among the sessions). */
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
  /** Sessions running side by side. */
  readonly sessions: number;
  /**
   * Finds the objects in `image`, with boxes in the pixels of a picture of `pictureSize` (default: the image's
   * own), of which `image` is a scaled copy. `resized` is the image as the model saw it (before padding).
   */
  detect(image: Frame, pictureSize?: { width: number; height: number }): Promise<{ objects: DetectedObject[]; timing: DetectionTiming; resized: Frame }>;
  close(): Promise<void>;
}

/** More sessions than this gain nothing on the small models we ship and cost memory. */
const MAX_AUTO_SESSIONS = 4;

export async function createDetector(settings: DetectorSettings): Promise<Detector> {
  const format = MODEL_FORMATS[settings.format];
  const classNames = COCO_CLASSES;
  const size = settings.inputSize;
  // Worker threads run the sessions, so inferMs is session.run alone and the main thread keeps decoding and
  // publishing the other cameras meanwhile. Here two sessions of one thread each served ~25 % more frames
  // than one session of two threads (docs/OPERATIONS.md, "Detection capacity").
  const cores = availableParallelism();
  const sessions = settings.sessions === 0 ? Math.min(cores, MAX_AUTO_SESSIONS) : settings.sessions;
  const intraOpThreads = settings.intraOpThreads === 0 ? Math.max(1, Math.floor(cores / sessions)) : settings.intraOpThreads;
  const inference = await startInferencePool({ path: settings.modelPath, formatName: settings.format, inputSize: size, classCount: classNames.length, intraOpThreads }, sessions);
  const thresholds = resolveThresholds(classNames, settings);
  const familyOf = resolveFamilies(classNames, settings.mergeClasses);

  // Warm-up, every session: the first run allocates.
  await Promise.all(Array.from({ length: sessions }, () => inference.run((tensor) => void tensor.fill(format.layout.padValue * format.layout.scale), size)));

  return {
    modelName: settings.modelPath.split(/[\\/]/).pop()!.replace(/\.onnx$/i, ''),
    sessions,
    async detect(image, pictureSize = image) {
      let boxed: Letterboxed | null = null;
      let preprocessMs = 0;
      const { data, dims, inferMs } = await inference.run(async (tensor) => {
        const started = performance.now();
        boxed = await letterbox(image, size, format.layout, tensor);
        preprocessMs = performance.now() - started;
      }, size);
      const { ratio, offsetX, offsetY, resized } = boxed!;
      const decodeStarted = performance.now();
      // Model pixels per picture pixel: the letterbox's ratio on the image, times the image's scale of the picture.
      const geometry = { inputSize: size, ratio: ratio * (image.width / pictureSize.width), offsetX, offsetY, frameWidth: pictureSize.width, frameHeight: pictureSize.height };
      const kept = suppress(format.decode(data, dims, classNames.length, thresholds, geometry), settings.nmsIou, familyOf);
      const objects = kept.map((c) => ({ className: classNames[c.classIndex]!, score: c.score, box: c.box }));
      return { objects, resized, timing: { preprocessMs, inferMs, postprocessMs: performance.now() - decodeStarted } };
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
