// Loads an ONNX detector and checks, before any frame arrives, that its input and output have the shapes its format needs.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { DetectorError } from './detectorError.js';
import type { ModelFormat } from './modelFormats.js';

export interface OnnxModel {
  session: ort.InferenceSession;
  inputName: string;
  outputName: string;
}

export interface LoadModelOptions {
  path: string;
  format: ModelFormat;
  inputSize: number;
  classCount: number;
  /** 0: one thread per core. */
  intraOpThreads: number;
}

export async function loadOnnxModel(options: LoadModelOptions): Promise<OnnxModel> {
  const { path, format, inputSize, classCount } = options;
  if (!existsSync(path)) throw new DetectorError('model_missing', `model file ${path} does not exist`);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path, {
      graphOptimizationLevel: 'all',
      intraOpNumThreads: options.intraOpThreads === 0 ? availableParallelism() : options.intraOpThreads,
      interOpNumThreads: 1,
      // Spinning threads burn a core between runs; here that core decodes video and renders crops instead.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  } catch (error) {
    throw new DetectorError('model_invalid', `model file ${path} is not a loadable ONNX model: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const input = session.inputMetadata[0];
  const output = session.outputMetadata[0];
  const inputShape = input?.isTensor ? input.shape : [];
  const expectedInput = `[1, 3, ${inputSize}, ${inputSize}]`;
  if (!input?.isTensor || !shapeFits(inputShape, [1, 3, inputSize, inputSize])) {
    await session.release();
    throw new DetectorError('model_shape', `model file ${path}: input ${input?.name ?? '(none)'} has shape ${describe(inputShape)}, expected ${expectedInput} (check detector.model.input_size)`);
  }
  const outputShape = output?.isTensor ? output.shape : [];
  if (!output?.isTensor || !format.fits(outputShape, inputSize, classCount)) {
    await session.release();
    throw new DetectorError(
      'model_shape',
      `model file ${path}: output ${output?.name ?? '(none)'} has shape ${describe(outputShape)}, expected ${format.expectedOutput(inputSize, classCount)} (check detector.model.format)`,
    );
  }
  return { session, inputName: input.name, outputName: output.name };
}

function shapeFits(actual: readonly (number | string)[], expected: readonly number[]): boolean {
  return actual.length === expected.length && actual.every((dim, index) => typeof dim === 'string' || dim === expected[index]);
}

function describe(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}
