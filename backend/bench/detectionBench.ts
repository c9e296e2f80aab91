// `tcr bench detection`: many looping file cameras through the whole detection stage (decode, preprocess,
// inference, decode, track, group, publish to the embedded bus), measured after a warm-up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedBus } from '../bus/embedded/embeddedBus.js';
import { appConfigSchema } from '../config/index.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { createDetector } from '../detection/detector/detector.js';
import { createDetectionStage, type FrameProcessedEvent } from '../detection/detectionStage.js';
import { cameraPipelineSettings, detectorSettings } from '../detection/detectionSettings.js';
import { bundledFfmpegPath } from '../detection/sources/createSource.js';
import { createFfmpegSource } from '../detection/sources/ffmpegSource.js';
import { percentile, round } from './percentile.js';
import { cpuSeconds } from './processCpu.js';
import { makeSampleVideo } from './sampleVideo.js';

export interface DetectionBenchOptions {
  modelPath: string;
  cameras: number;
  fps: number;
  durationS: number;
  warmupS: number;
  /** A video to loop; null: one is made from `imagesFolder`. */
  video: string | null;
  imagesFolder: string;
  /** Size and frame rate of the clip made from the photos (16:9). */
  videoWidth: number;
  videoFps: number;
  /** Width frames are scaled to by ffmpeg (null: the video's own). */
  width: number | null;
  /** onnxruntime intra-op threads (0: one per core). */
  intraOpThreads: number;
  logger: Logger;
}

export async function runDetectionBench(options: DetectionBenchOptions): Promise<Record<string, unknown>> {
  const workDir = mkdtempSync(join(tmpdir(), 'tcr-bench-detection-'));
  const config = appConfigSchema.parse({ detector: { intra_op_threads: options.intraOpThreads } });
  const ffmpegPath = bundledFfmpegPath();
  const video = options.video ?? (await makeSampleVideo({ ffmpegPath, imagesFolder: options.imagesFolder, outFile: join(workDir, 'sample.mp4'), width: options.videoWidth, height: Math.round((options.videoWidth * 9) / 16 / 2) * 2, fps: options.videoFps }));
  const bus = createEmbeddedBus({ path: join(workDir, 'bus.sqlite'), dlqTopic: 'dlq', retentionMs: 3_600_000, maxBytes: 2 ** 30, maxMessageBytes: config.kafka.max_message_bytes, logger: options.logger });
  const detector = await createDetector(detectorSettings(config.detector, options.modelPath));
  const cameras = Array.from({ length: options.cameras }, (_, index) => {
    const id = `bench-${String(index + 1).padStart(3, '0')}`;
    const source = createFfmpegSource({
      url: video, fps: options.fps, width: options.width, loop: true, ioTimeoutMs: 10_000, ffmpegPath,
      stallTimeoutMs: 30_000, restartDelay: { initialDelayMs: 1000, maxDelayMs: 5000 }, failAfterAttempts: 5,
    });
    return { id, source, pipeline: cameraPipelineSettings(id, config) };
  });
  const stage = createDetectionStage({ cameras, detector, producer: bus.producer(), topic: 'detection-results', maxMessageBytes: config.kafka.max_message_bytes, logger: options.logger, startSpreadMs: 1000 / options.fps });

  const processed: FrameProcessedEvent[] = [];
  let failed = 0;
  let measuring = false;
  stage.events.on('frame_processed', (event) => measuring && processed.push(event));
  stage.events.on('frame_failed', () => measuring && failed++);
  try {
    stage.start();
    await systemClock.sleep(options.warmupS * 1000);
    const skippedBefore = totalSkipped(stage.cameraStatuses());
    const cpuBefore = cpuSeconds().self;
    const startedAt = performance.now();
    measuring = true;
    await systemClock.sleep(options.durationS * 1000);
    measuring = false;
    const elapsedS = (performance.now() - startedAt) / 1000;
    const cpuSelf = cpuSeconds().self - cpuBefore;
    const skipped = totalSkipped(stage.cameraStatuses()) - skippedBefore;
    const states = Object.values(stage.cameraStatuses()).map((status) => status.state);
    await stage.stop();
    // ffmpeg's CPU is counted once the children have exited (stop() waits for them).
    const cpuAfterStop = cpuSeconds();
    // Children are only counted after they exit, so their rate is taken over the whole run (warm-up included).
    const ffmpegCores = cpuAfterStop.children === null ? null : cpuAfterStop.children / (elapsedS + options.warmupS);
    const inferMs = processed.map((event) => event.timing.inferMs);
    const pipelineMs = processed.map((event) => event.pipelineMs);
    return {
      cameras: options.cameras,
      intra_op_threads: options.intraOpThreads,
      fps_target: options.fps,
      duration_s: round(elapsedS, 1),
      frames_expected: Math.round(options.cameras * options.fps * elapsedS),
      frames_processed: processed.length,
      frames_skipped: skipped,
      frames_failed: failed,
      cameras_live_at_end: states.filter((state) => state === 'live').length,
      infer_ms_p50: round(percentile(inferMs, 0.5)),
      infer_ms_p95: round(percentile(inferMs, 0.95)),
      preprocess_ms_p50: round(percentile(processed.map((event) => event.timing.preprocessMs), 0.5)),
      detect_ms_p50: round(percentile(processed.map((event) => event.timing.detectMs), 0.5)),
      render_ms_p50: round(percentile(processed.map((event) => event.timing.renderMs), 0.5)),
      publish_ms_p50: round(percentile(processed.map((event) => event.timing.publishMs), 0.5)),
      pipeline_ms_p50: round(percentile(pipelineMs, 0.5)),
      pipeline_ms_p95: round(percentile(pipelineMs, 0.95)),
      pipeline_to_infer_p50: round((percentile(pipelineMs, 0.5) ?? 0) / (percentile(inferMs, 0.5) ?? 1)),
      cpu_cores_used: round(cpuSelf / elapsedS + (ffmpegCores ?? 0)),
      cpu_cores_used_detection: round(cpuSelf / elapsedS),
      cpu_cores_used_ffmpeg: round(ffmpegCores),
    };
  } finally {
    await stage.stop();
    await detector.close();
    await bus.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function totalSkipped(statuses: Record<string, { framesSkipped: number }>): number {
  return Object.values(statuses).reduce((sum, status) => sum + status.framesSkipped, 0);
}
