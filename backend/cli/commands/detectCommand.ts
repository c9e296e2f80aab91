// `tcr detect`: run the detector on one image, or a few frames of a camera, and print what it found.
import { InvalidArgumentError, type Command } from 'commander';
import { appConfigSchema, loadAppConfig, type AppConfig, type Env } from '../../config/index.js';
import type { GroupFeatures } from '../../contracts/index.js';
import { ReportedFailure } from '../../core/errors.js';
import { redactUrlCredentials } from '../../core/redact.js';
import { createDetector, type Detector } from '../../detection/detector/detector.js';
import { ensureModelFile } from '../../detection/detector/modelFile.js';
import { cameraPipelineSettings, detectorSettings, modelFileSettings } from '../../detection/detectionSettings.js';
import { readImageFrame } from '../../detection/imageFile.js';
import { sampleSource } from '../../detection/sampleSource.js';
import { createSource } from '../../detection/sources/createSource.js';
import { positiveInt, positiveNumber } from '../optionParsers.js';

interface DetectOptions {
  config?: string;
  model?: string;
  image?: string;
  source?: string;
  frames: number;
  fps: number;
  timeout: number;
  camera?: string;
  json?: boolean;
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

async function openDetector(config: AppConfig, modelPath: string | undefined): Promise<Detector> {
  if (modelPath === undefined) await ensureModelFile(modelFileSettings(config.detector));
  return createDetector(detectorSettings(config.detector, modelPath ?? config.detector.model.path));
}

async function detectImage(detector: Detector, file: string, json: boolean): Promise<void> {
  const { objects } = await detector.detect(await readImageFrame(file));
  const detections = objects.map((o) => ({ class: o.className, score: round(o.score, 3), box: o.box.map((v) => round(v, 1)) }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ detections })}\n`);
    return;
  }
  for (const d of detections) process.stdout.write(`${d.class.padEnd(12)} ${d.score.toFixed(3)}  [${d.box.join(', ')}]\n`);
  process.stdout.write(`${detections.length} detections\n`);
}

async function detectSource(detector: Detector, config: AppConfig, options: DetectOptions & { source: string }): Promise<void> {
  const source = createSource({ url: options.source, fps: options.fps, width: null, loop: false, fitSize: config.detector.model.input_size, ffmpegPath: config.detector.ffmpeg_path });
  const camera = options.camera === undefined ? null : config.cameras.find((candidate) => candidate.id === options.camera);
  if (camera === undefined) throw usageError(`no camera "${options.camera}" in the config`);
  const { frames, status } = await sampleSource(source, detector, cameraPipelineSettings(camera?.id ?? 'detect', config, camera?.calibration ?? null), options.frames, options.timeout * 1000);
  for (const { message, timing } of frames) {
    const { detections, tracks, groups, frame_id: frame, frame_width: width, frame_height: height } = message;
    if (options.json) {
      const strip = groups.map(({ crop_jpeg_b64: _crop, ...group }) => group);
      process.stdout.write(`${JSON.stringify({ frame, width, height, infer_ms: round(timing.inferMs, 1), detections, tracks, groups: strip })}\n`);
    } else {
      const classes = detections.map((d) => `${d.class_name}#${d.track_id ?? '-'}`).join(' ');
      process.stdout.write(`frame ${frame} ${width}x${height}: ${detections.length} detections, ${groups.length} groups emitted  ${classes}\n`);
      for (const group of groups) process.stdout.write(`  ${describeMeasures(group)}\n`);
    }
  }
  const summary = `${frames.length} frames from ${redactUrlCredentials(options.source)}; source ${status.state}${status.reason ? `: ${status.reason}` : ''}`;
  process.stderr.write(`${summary}\n`);
  if (frames.length === 0) throw new ReportedFailure(summary);
}

/** One line per emitted group: its members and the measures of its most urgent pair, to check a calibration by eye. */
function describeMeasures(group: GroupFeatures): string {
  const unit = group.calibrated ? 'm' : 'px';
  const members = Object.entries(group.members_by_class).map(([name, count]) => `${name}×${count}`).join(' ');
  const pair = group.conflicts[0];
  const measures = pair
    ? `${pair.classes[0]}#${pair.track_ids[0]}–${pair.classes[1]}#${pair.track_ids[1]}: TTC ${pair.ttc_s === null ? '-' : `${pair.ttc_s} s`}, PET ${pair.pet_s === null ? '-' : `${pair.pet_s} s`}, closing ${pair.closing_speed} ${unit}/s, speeds ${pair.speeds.join(' / ')} ${unit}/s, gap ${pair.min_separation} ${unit}, ages ${pair.track_age_frames.join(' / ')} frames${pair.confident ? '' : ' (not confident)'}`
    : 'no person–vehicle or vehicle–vehicle pair';
  return `${group.group_id} [${members}] ${group.calibrated ? 'calibrated' : 'uncalibrated'}; ${measures}`;
}

export function registerDetectCommand(program: Command, env: Env): void {
  program
    .command('detect')
    .description('run the detector once on an image, or tracker and groups on a few frames of a source')
    .option('--config <file>', 'process config for detector settings (none: the built-in defaults)', env.TCR_CONFIG)
    .option('--model <path>', 'ONNX model (default: detector.model.path of the config)')
    .option('--image <file>', 'image file')
    .option('--source <url>', 'camera URL, video file or image folder')
    .option('--frames <n>', 'frames to process from --source', positiveInt, 10)
    .option('--fps <n>', 'frames per second sampled from --source', positiveNumber, 2)
    .option('--timeout <s>', 'give up when --source delivers no frame for this long', positiveNumber, 20)
    .option('--camera <id>', "measure on this configured camera's calibration (ground plane)")
    .option('--json', 'print JSON')
    .action(async (options: DetectOptions) => {
      if ((options.image === undefined) === (options.source === undefined)) throw usageError('give exactly one of --image and --source');
      const config = options.config ? loadAppConfig(options.config, env) : appConfigSchema.parse({});
      const detector = await openDetector(config, options.model);
      try {
        if (options.image !== undefined) await detectImage(detector, options.image, options.json === true);
        else await detectSource(detector, config, { ...options, source: options.source! });
      } finally {
        await detector.close();
      }
    });
}

/** A usage mistake: said here (commander prints its own, not ours), exit 2 like commander's. */
function usageError(message: string): InvalidArgumentError {
  process.stderr.write(`tcr detect: ${message}\n`);
  return new InvalidArgumentError(message);
}
