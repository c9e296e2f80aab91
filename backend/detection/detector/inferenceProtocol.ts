// Messages between the detector and its inference worker thread.
import type { LoadModelOptions } from './onnxModel.js';

export type WorkerInit = Omit<LoadModelOptions, 'format'> & { formatName: string };

export type ToWorker = { kind: 'run'; id: number; tensor: Float32Array; size: number };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'load_failed'; code: string; message: string }
  | { kind: 'result'; id: number; data: Float32Array; dims: number[]; inferMs: number }
  | { kind: 'run_failed'; id: number; message: string };
