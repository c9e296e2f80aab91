// `tcr bench detection`: many looping file cameras through the whole detection stage (decode, preprocess,
// inference, decode, track, group, publish to the embedded bus), measured after a warm-up. The default clip is
// shaped like a camera's substream (1280×720, 25 fps, 1-s GOP) and outlasts the run, so no loop point falls
// in the measured window.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedBus } from '../bus/embedded/embeddedBus.js';
import { appConfigSchema } from '../config/index.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { createDetector } from '../detection/detector/detector.js';
import { createDetectionStage, type FrameProcessedEvent } from '../detection/detectionStage.js';
import { cameraPipelineSettings, detectorSettings } from '../detection/detectionSettings.js';
import { bundledFfmpegPath } from '../detection/sources/createSource.js';
import { createFfmpegSource, type DecodeChoice } from '../detection/sources/ffmpegSource.js';
import type { SourceStatus } from '../detection/sources/frameSource.js';
import { percentile, round } from './percentile.js';
import { cpuSeconds, processTreeCpuSeconds } from './processCpu.js';
import { makeSampleVideo } from './sampleVideo.js';

export interface DetectionBenchOptions {
  modelPath: string;
  /** The model's input side (the capacity profile's model is 320). */
  inputSize: number;
  cameras: number;
  fps: number;
  durationS: number;
  warmupS: number;
  /** A video to loop; null: one is made from `imagesFolder`. */
  video: string | null;
  imagesFolder: string;
  /** Size, frame rate and GOP of the clip made from the photos (16:9). */
  videoWidth: number;
  videoFps: number;
  gop: number;
  /** Seconds each photo is shown, panned (1: a still per second). */
  sceneS: number;
  /** Width of the cameras' full pictures (null: the video's own). */
  width: number | null;
  decode: DecodeChoice;
  /** ONNX sessions and threads per session (0: from the cores). */
  sessions: number;
  intraOpThreads: number;
  /** Preview at most this often per camera (null: the config default). */
  thumbnailIntervalMs: number | null;
  logger: Logger;
}

export async function runDetectionBench(options: DetectionBenchOptions): Promise<Record<string, unknown>> {
  const workDir = mkdtempSync(join(tmpdir(), 'tcr-bench-detection-'));
  const config = appConfigSchema.parse({
    detector: { model: { input_size: options.inputSize }, sessions: options.sessions, intra_op_threads: options.intraOpThreads },
    detection: options.thumbnailIntervalMs === null ? {} : { thumbnail_interval_ms: options.thumbnailIntervalMs },
  });
  const ffmpegPath = bundledFfmpegPath();
  const clipS = options.warmupS + options.durationS + 30;
  const video =
    options.video ??
    (await makeSampleVideo({ ffmpegPath, imagesFolder: options.imagesFolder, outFile: join(workDir, 'sample.mp4'), width: options.videoWidth, height: Math.round((options.videoWidth * 9) / 16 / 2) * 2, fps: options.videoFps, gop: options.gop, sceneS: options.sceneS, minDurationS: clipS }));
  const bus = createEmbeddedBus({ path: join(workDir, 'bus.sqlite'), dlqTopic: 'dlq', retentionMs: 3_600_000, maxBytes: 2 ** 30, maxMessageBytes: config.kafka.max_message_bytes, logger: options.logger });
  const detector = await createDetector(detectorSettings(config.detector, options.modelPath));
  const cameras = Array.from({ length: options.cameras }, (_, index) => {
    const id = `bench-${String(index + 1).padStart(3, '0')}`;
    const source = createFfmpegSource({
      url: video, fps: options.fps, width: options.width, fitSize: options.inputSize, decode: options.decode, loop: true, ioTimeoutMs: 10_000, ffmpegPath,
      stallTimeoutMs: 30_000, restartDelay: { initialDelayMs: 1000, maxDelayMs: 5000 }, failAfterAttempts: 5,
    });
    return { id, source, pipeline: cameraPipelineSettings(id, config) };
  });
  const stage = createDetectionStage({ cameras, detector, producer: bus.producer(), topic: 'detection-results', maxMessageBytes: config.kafka.max_message_bytes, logger: options.logger, startSpreadMs: 1000 / options.fps });

  const processed: FrameProcessedEvent[] = [];
  let failed = 0;
  let gated = 0;
  let measuring = false;
  stage.events.on('frame_processed', (event) => measuring && processed.push(event));
  stage.events.on('frame_failed', () => measuring && failed++);
  stage.events.on('frame_gated', () => measuring && gated++);
  try {
    stage.start();
    await systemClock.sleep(options.warmupS * 1000);
    const before = { skipped: totalSkipped(stage.cameraStatuses()), self: cpuSeconds().self, tree: processTreeCpuSeconds(process.pid) };
    const startedAt = performance.now();
    measuring = true;
    await systemClock.sleep(options.durationS * 1000);
    measuring = false;
    const elapsedS = (performance.now() - startedAt) / 1000;
    const selfS = cpuSeconds().self - before.self;
    const treeAfter = processTreeCpuSeconds(process.pid);
    // The tree is this process and its live ffmpeg children; ffmpeg is the tree less this process.
    const ffmpegS = treeAfter === null || before.tree === null ? null : Math.max(0, treeAfter - before.tree - selfS);
    const statuses = Object.values(stage.cameraStatuses());
    const skipped = totalSkipped(stage.cameraStatuses()) - before.skipped;
    const frames = processed.length;
    const mean = (pick: (event: FrameProcessedEvent) => number): number | null => (frames === 0 ? null : round(processed.reduce((sum, event) => sum + pick(event), 0) / frames));
    const inferMs = processed.map((event) => event.timing.inferMs);
    const pipelineMs = processed.map((event) => event.pipelineMs);
    const threadsPerSession = config.detector.intra_op_threads === 0 ? Math.max(1, Math.floor(availableParallelism() / detector.sessions)) : config.detector.intra_op_threads;
    return {
      cameras: options.cameras,
      input_size: options.inputSize,
      sessions: detector.sessions,
      threads_per_session: threadsPerSession,
      fps_target: options.fps,
      clip: options.video ?? `${options.videoWidth}×${Math.round((options.videoWidth * 9) / 16 / 2) * 2} ${options.videoFps} fps, GOP ${options.gop} frames, ${options.sceneS} s per scene`,
      decode: options.decode,
      duration_s: round(elapsedS, 1),
      frames_expected: Math.round(options.cameras * options.fps * elapsedS),
      frames_processed: frames,
      frames_skipped: skipped,
      frames_failed: failed,
      frames_gated: gated,
      cameras_live_at_end: statuses.filter((status) => status.state === 'live').length,
      cameras_decoding_key_frames: statuses.filter((status) => status.decode === 'key_frames').length,
      cpu_ms_per_frame: frames === 0 ? null : round(((selfS + (ffmpegS ?? 0)) * 1000) / frames),
      detection_cpu_ms_per_frame: frames === 0 ? null : round((selfS * 1000) / frames),
      ffmpeg_cpu_ms_per_frame: frames === 0 || ffmpegS === null ? null : round((ffmpegS * 1000) / frames),
      // session.run's wall time × its threads: its CPU while it had the core (the machine was not oversubscribed).
      infer_cpu_ms_per_frame: mean((event) => event.timing.inferMs * threadsPerSession),
      cores_detection: round(selfS / elapsedS),
      cores_ffmpeg: ffmpegS === null ? null : round(ffmpegS / elapsedS),
      cores_total: round((selfS + (ffmpegS ?? 0)) / elapsedS),
      steps_ms_mean: {
        preprocess: mean((event) => event.timing.preprocessMs),
        infer: mean((event) => event.timing.inferMs),
        postprocess: mean((event) => event.timing.postprocessMs),
        wait_for_detector: mean((event) => event.timing.detectMs - event.timing.preprocessMs - event.timing.inferMs - event.timing.postprocessMs),
        track_and_groups: mean((event) => event.timing.analyseMs),
        render: mean((event) => event.timing.renderMs),
        encode: mean((event) => event.timing.encodeMs),
        publish: mean((event) => event.timing.publishMs),
      },
      thumbnails_per_frame: mean((event) => (event.timing.thumbnail ? 1 : 0)),
      crops_per_frame: mean((event) => event.timing.crops),
      crops_from_detection_image: processed.reduce((sum, event) => sum + event.timing.cropsFromImage, 0),
      infer_ms_p50: round(percentile(inferMs, 0.5)),
      infer_ms_p95: round(percentile(inferMs, 0.95)),
      pipeline_ms_p50: round(percentile(pipelineMs, 0.5)),
      pipeline_ms_p95: round(percentile(pipelineMs, 0.95)),
    };
  } finally {
    await stage.stop();
    await detector.close();
    await bus.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function totalSkipped(statuses: Record<string, SourceStatus>): number {
  return Object.values(statuses).reduce((sum, status) => sum + status.framesSkipped, 0);
}


