// `tcr bench detection`: the detection capacity of this machine, on cameras shaped like real ones.
import { InvalidArgumentError, type Command } from 'commander';
import { runDetectionBench } from '../../bench/detectionBench.js';
import { ReportedFailure } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber } from '../optionParsers.js';
import { report } from './benchReport.js';

/** Issue 16's targets: ≥ 97 % of the expected frames processed, ≤ 1 % skipped, every camera live at the end. */
function detectionTargets(figures: Record<string, unknown>): string[] {
  const missed: string[] = [];
  const expected = Number(figures.frames_expected);
  if (Number(figures.frames_processed) < 0.97 * expected) missed.push(`${String(figures.frames_processed)} of ${expected} expected frames processed (target 97 %)`);
  if (Number(figures.frames_skipped) > 0.01 * expected) missed.push(`${String(figures.frames_skipped)} frames skipped (target ≤ 1 % of ${expected})`);
  if (figures.cameras_live_at_end !== figures.cameras) missed.push(`${String(figures.cameras_live_at_end)} of ${String(figures.cameras)} cameras live at the end`);
  return missed;
}

const decodeChoice = (value: string): 'auto' | 'all' => {
  if (value !== 'auto' && value !== 'all') throw new InvalidArgumentError('expected auto or all');
  return value;
};

export function registerBenchDetectionCommand(bench: Command): void {
  bench
    .command('detection')
    .description('looping camera-like clips through the whole detection stage, publishing to the embedded bus')
    .requiredOption('--model <path>', 'ONNX model (YOLOX)')
    .option('--input-size <px>', "the model's input side (320 for the capacity profile's model)", positiveInt, 416)
    .option('--cameras <n>', 'cameras', positiveInt, 50)
    .option('--fps <n>', 'frames per second per camera', positiveNumber, 1)
    .option('--duration <s>', 'seconds measured (after the warm-up)', positiveNumber, 30)
    .option('--warmup <s>', 'seconds run before measuring', nonNegativeNumber, 10)
    .option('--video <file>', 'video each camera loops (default: a clip made from --images)')
    .option('--images <folder>', 'photos the default clip is made from', '../shared/data/images')
    .option('--video-width <px>', 'width of the clip made from --images (16:9)', positiveInt, 1280)
    .option('--video-fps <n>', 'frame rate of the clip made from --images', positiveInt, 25)
    .option('--gop <frames>', 'frames between key frames in the clip made from --images', positiveInt, 25)
    .option('--scene <s>', 'seconds each photo is shown in that clip, panned like a street past a camera (1: still photos)', positiveInt, 10)
    .option('--width <px>', "width of the cameras' full pictures (default: the video width)", positiveInt)
    .option('--decode <mode>', 'auto (key frames while they suffice) or all', decodeChoice, 'auto')
    .option('--sessions <n>', 'ONNX sessions side by side (0: one per core)', nonNegativeInt, 0)
    .option('--intra-op-threads <n>', 'onnxruntime threads per session (0: the cores shared out)', nonNegativeInt, 0)
    .option('--thumbnail-interval-ms <ms>', 'a preview per camera at most this often (default: the config default)', nonNegativeInt)
    .option('--json <file>', 'also write the figures to this file')
    .option('--strict', 'exit 1 when a target is missed')
    .action(async (options: { model: string; inputSize: number; cameras: number; fps: number; duration: number; warmup: number; video?: string; images: string; videoWidth: number; videoFps: number; gop: number; scene: number; width?: number; decode: 'auto' | 'all'; sessions: number; intraOpThreads: number; thumbnailIntervalMs?: number; json?: string; strict?: boolean }) => {
      const figures = await runDetectionBench({
        ...options,
        modelPath: options.model,
        durationS: options.duration,
        warmupS: options.warmup,
        video: options.video ?? null,
        imagesFolder: options.images,
        sceneS: options.scene,
        width: options.width ?? null,
        thumbnailIntervalMs: options.thumbnailIntervalMs ?? null,
        logger: createLogger({ level: 'warn', format: 'json' }),
      });
      const missed = detectionTargets(figures);
      report({ ...figures, targets_met: missed.length === 0, targets_missed: missed }, options.json);
      if (options.strict && missed.length > 0) throw new ReportedFailure(`targets missed: ${missed.join('; ')}`);
    });
}
