// Worker thread that owns the ONNX session. onnxruntime-node runs a session synchronously on the calling
// thread, so on the main thread every inference would stall all cameras' decoding, rendering and publishing.
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { AppError } from '../../core/errors.js';
import type { FromWorker, ToWorker, WorkerInit } from './inferenceProtocol.js';
import { MODEL_FORMATS, type ModelFormatName } from './modelFormats.js';
import { loadOnnxModel, type OnnxModel } from './onnxModel.js';

const port = parentPort!;
const init = workerData as WorkerInit;
const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

let model: OnnxModel;
try {
  model = await loadOnnxModel({ ...init, format: MODEL_FORMATS[init.formatName as ModelFormatName] });
  post({ kind: 'ready' });
} catch (error) {
  post({ kind: 'load_failed', code: error instanceof AppError ? error.code : 'model_invalid', message: error instanceof Error ? error.message : String(error) });
  process.exit(0);
}

// One run at a time, in arrival order: a run queued behind another must not count the wait as inference time.
let queue = Promise.resolve();
port.on('message', (message: ToWorker) => {
  queue = queue.then(async () => {
    try {
      const started = performance.now();
      const outputs = await model.session.run({ [model.inputName]: new ort.Tensor('float32', message.tensor, [1, 3, message.size, message.size]) });
      const inferMs = performance.now() - started;
      const output = outputs[model.outputName]!;
      const data = output.data as Float32Array;
      post({ kind: 'result', id: message.id, data, dims: [...output.dims], inferMs, tensor: message.tensor }, [data.buffer as ArrayBuffer, message.tensor.buffer as ArrayBuffer]);
    } catch (error) {
      post({ kind: 'run_failed', id: message.id, message: error instanceof Error ? error.message : String(error), tensor: message.tensor }, [message.tensor.buffer as ArrayBuffer]);
    }
  });
});
