// Messages between the detector and its inference worker thread.
import type { LoadModelOptions } from './onnxModel.js';

export type WorkerInit = Omit<LoadModelOptions, 'format'> & { formatName: string };

export type ToWorker = { kind: 'run'; id: number; tensor: Float32Array; size: number };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'load_failed'; code: string; message: string }
  /** `tensor` is the input handed back, so the detector can fill it again instead of allocating a new one. */
  | { kind: 'result'; id: number; data: Float32Array; dims: number[]; inferMs: number; tensor: Float32Array }
  | { kind: 'run_failed'; id: number; message: string; tensor: Float32Array };
