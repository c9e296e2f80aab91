// `tcr model resize --input-size 320 <in.onnx> <out.onnx>`: the capacity profile's model, made from the shipped one.
import { existsSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { ReportedFailure } from '../../core/errors.js';
import { MODEL_FORMATS, type ModelFormatName } from '../../detection/detector/modelFormats.js';
import { resizeModel } from '../../detection/model/resizeModel.js';
import { positiveInt } from '../optionParsers.js';

const formatName = (value: string): ModelFormatName => {
  if (!(value in MODEL_FORMATS)) throw new InvalidArgumentError(`expected one of ${Object.keys(MODEL_FORMATS).join(', ')}`);
  return value as ModelFormatName;
};

export function registerModelCommand(program: Command): void {
  const model = program.command('model').description('detector model files');
  model
    .command('resize')
    .description('write the same model for another square input size (checks that it loads, runs and has the expected output shape)')
    .argument('<in>', 'ONNX model')
    .argument('<out>', 'where to write the resized model')
    .requiredOption('--input-size <px>', 'the new input side, a multiple of 32 (320: the capacity profile)', positiveInt)
    .option('--format <name>', 'output layout of the model', formatName, 'yolox')
    .action(async (inPath: string, outPath: string, options: { inputSize: number; format: ModelFormatName }) => {
      if (!existsSync(inPath)) throw new InvalidArgumentError(`${inPath}: no such file`);
      try {
        const result = await resizeModel(inPath, outPath, options.inputSize, options.format);
        process.stdout.write(`${outPath}: input ${JSON.stringify(result.inputShape)} (was ${result.fromSize}), output ${JSON.stringify(result.outputShape)}\n`);
      } catch (error) {
        const why = `cannot resize ${inPath}: ${error instanceof Error ? error.message : String(error)}`;
        process.stderr.write(`${why}\n`);
        throw new ReportedFailure(why);
      }
    });
}
