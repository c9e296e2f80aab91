// `tcr model resize`: the same weights at another square input size. Our detectors' graphs are size-agnostic
// (Resize by scales, Reshape to [1, C, -1]); only the declared input and output shapes name the size. Those are
// rewritten, intermediate shape annotations (value_info) dropped for onnxruntime to infer again, and the result
// is loaded and run once before it is written.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { MODEL_FORMATS, type ModelFormatName } from '../detector/modelFormats.js';
import { COCO_CLASSES } from '../detector/cocoClasses.js';
import { loadOnnxModel } from '../detector/onnxModel.js';
import { yoloxAnchorCount } from '../detector/yoloxDecoder.js';
import { encodeVarint, parseFields, serializeFields, varintValue, type ProtoField } from './protoFields.js';

// Field numbers from onnx.proto.
const MODEL_GRAPH = 7;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;
const GRAPH_VALUE_INFO = 13;
const VALUE_INFO_TYPE = 2;
const TYPE_TENSOR = 1;
const TENSOR_SHAPE = 2;
const SHAPE_DIM = 1;
const DIM_VALUE = 1;

export interface ResizeResult {
  fromSize: number;
  toSize: number;
  inputShape: (number | string)[];
  outputShape: (number | string)[];
}

export async function resizeModel(inPath: string, outPath: string, toSize: number, format: ModelFormatName): Promise<ResizeResult> {
  if (toSize % 32 !== 0) throw new Error(`--input-size ${toSize} is not a multiple of 32 (the detector's largest stride)`);
  const model = parseFields(readFileSync(inPath));
  const graphField = model.find((field) => field.number === MODEL_GRAPH);
  if (graphField === undefined || graphField.wireType !== 2) throw new Error(`${inPath} has no graph: not an ONNX model`);
  const graph = parseFields(graphField.value);
  const inputs = graph.filter((field) => field.number === GRAPH_INPUT);
  const inputDims = inputs.length === 0 ? [] : dimsOf(inputs[0]!);
  const fromSize = inputDims[2];
  if (inputDims.length !== 4 || typeof fromSize !== 'number' || inputDims[3] !== fromSize) throw new Error(`${inPath}: the first input is not a square [1, 3, size, size] image (${JSON.stringify(inputDims)})`);
  const [fromAnchors, toAnchors] = [yoloxAnchorCount(fromSize), yoloxAnchorCount(toSize)];
  let inputDone = false;
  const rewritten: ProtoField[] = [];
  for (const field of graph) {
    if (field.number === GRAPH_VALUE_INFO) continue;
    if (field.number === GRAPH_INPUT && !inputDone) {
      inputDone = true;
      rewritten.push(withDims(field, (dim, index) => (index >= 2 ? toSize : dim)));
    } else if (field.number === GRAPH_OUTPUT) rewritten.push(withDims(field, (dim) => (dim === fromAnchors ? toAnchors : dim)));
    else rewritten.push(field);
  }
  const bytes = serializeFields(model.map((field) => (field === graphField ? { ...field, value: serializeFields(rewritten) } : field)));
  // Written beside the target and moved into place only once it has passed the check: loads and runs.
  const candidate = `${outPath}.partial`;
  writeFileSync(candidate, bytes);
  try {
    const result = await checkResized(candidate, toSize, format);
    renameSync(candidate, outPath);
    return { fromSize, ...result };
  } finally {
    rmSync(candidate, { force: true });
  }
}

async function checkResized(path: string, toSize: number, format: ModelFormatName): Promise<Omit<ResizeResult, 'fromSize'>> {
  const loaded = await loadOnnxModel({ path, format: MODEL_FORMATS[format], inputSize: toSize, classCount: COCO_CLASSES.length, intraOpThreads: 1 });
  try {
    const { Tensor } = await import('onnxruntime-node');
    const outputs = await loaded.session.run({ [loaded.inputName]: new Tensor('float32', new Float32Array(3 * toSize * toSize).fill(114), [1, 3, toSize, toSize]) });
    const outputShape = [...outputs[loaded.outputName]!.dims];
    if (!MODEL_FORMATS[format].fits(outputShape, toSize, COCO_CLASSES.length)) throw new Error(`the resized model returned ${JSON.stringify(outputShape)}, expected ${MODEL_FORMATS[format].expectedOutput(toSize, COCO_CLASSES.length)}`);
    return { toSize, inputShape: [1, 3, toSize, toSize], outputShape };
  } finally {
    await loaded.session.release();
  }
}

/** ValueInfoProto → its tensor shape's dims (numbers; names for symbolic dims). */
function dimsOf(valueInfo: ProtoField): (number | string)[] {
  return shapeDims(valueInfo).map((dim) => {
    const value = parseFields(dim.value).find((field) => field.number === DIM_VALUE);
    return value === undefined ? 'symbolic' : Number(varintValue(value));
  });
}

function shapeDims(valueInfo: ProtoField): ProtoField[] {
  const type = parseFields(valueInfo.value).find((field) => field.number === VALUE_INFO_TYPE);
  const tensor = type && parseFields(type.value).find((field) => field.number === TYPE_TENSOR);
  const shape = tensor && parseFields(tensor.value).find((field) => field.number === TENSOR_SHAPE);
  return shape ? parseFields(shape.value).filter((field) => field.number === SHAPE_DIM) : [];
}

/** The ValueInfoProto with each fixed dim replaced by `change(dim, index)`; symbolic dims stay. */
function withDims(valueInfo: ProtoField, change: (dim: number, index: number) => number): ProtoField {
  let index = 0;
  const dims = (dim: ProtoField): ProtoField => {
    const fields = parseFields(dim.value);
    const value = fields.find((field) => field.number === DIM_VALUE);
    const at = index++;
    if (value === undefined) return dim;
    const next = change(Number(varintValue(value)), at);
    return { ...dim, value: serializeFields(fields.map((field) => (field === value ? { ...field, value: encodeVarint(BigInt(next)) } : field))) };
  };
  const rebuild = (field: ProtoField, path: readonly number[], leaf: (child: ProtoField) => ProtoField): ProtoField => {
    const children = parseFields(field.value);
    const [head, ...rest] = path;
    const mapped = children.map((child) => (child.number !== head ? child : rest.length === 0 ? leaf(child) : rebuild(child, rest, leaf)));
    return { ...field, value: serializeFields(mapped) };
  };
  return rebuild(valueInfo, [VALUE_INFO_TYPE, TYPE_TENSOR, TENSOR_SHAPE, SHAPE_DIM], dims);
}
