// The detector's side of the inference worker: start it, wait until the model is loaded (or say why not), run tensors.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BugError } from '../../core/errors.js';
import { DetectorError } from './detectorError.js';
import type { FromWorker, ToWorker, WorkerInit } from './inferenceProtocol.js';

export interface InferenceOutput {
  data: Float32Array;
  dims: number[];
  /** session.run alone, measured in the worker. */
  inferMs: number;
  /** The input tensor, handed back for reuse. */
  tensor: Float32Array;
}

export interface InferenceThread {
  run(tensor: Float32Array, size: number): Promise<InferenceOutput>;
  close(): Promise<void>;
}

/**
 * The built worker is .js. From a source checkout (tsx, vitest) it is .ts, and a worker does not inherit
 * the parent's loader hooks, so a two-line bootstrap registers tsx in the worker before importing it.
 */
function createWorker(init: WorkerInit): Worker {
  const built = new URL('./inferenceWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return new Worker(built, { workerData: init });
  const source = new URL('./inferenceWorker.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: init });
}

export async function startInferenceThread(init: WorkerInit): Promise<InferenceThread> {
  const worker = createWorker(init);
  const pending = new Map<number, { resolve: (output: InferenceOutput) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let failure: Error | null = null;

  const failAll = (error: Error): void => {
    failure = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: FromWorker): void => {
      if (message.kind === 'ready') resolve();
      else if (message.kind === 'load_failed') reject(new DetectorError(message.code as 'model_invalid', message.message));
    };
    worker.once('message', onMessage);
    worker.once('error', (error) => reject(new DetectorError('model_invalid', `inference worker failed to start: ${error.message}`, { cause: error })));
  });

  worker.on('message', (message: FromWorker) => {
    if (message.kind !== 'result' && message.kind !== 'run_failed') return;
    const entry = pending.get(message.id);
    if (entry === undefined) throw new BugError(`inference result for unknown request ${message.id}`);
    pending.delete(message.id);
    if (message.kind === 'result') entry.resolve({ data: message.data, dims: message.dims, inferMs: message.inferMs, tensor: message.tensor });
    else entry.reject(new DetectorError('model_invalid', `inference failed: ${message.message}`));
  });
  worker.on('error', (error) => failAll(new DetectorError('model_invalid', `inference worker crashed: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => failAll(new DetectorError('model_invalid', `inference worker exited (code ${code})`)));

  return {
    run(tensor, size) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ kind: 'run', id, tensor, size } satisfies ToWorker, [tensor.buffer as ArrayBuffer]);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
