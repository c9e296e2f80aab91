// The detection role: every configured camera through the shared detector, one DetectionResultMessage per
// processed frame onto detection-results (key: camera id). Cameras fail and recover on their own.
import { EventEmitter } from 'node:events';
import type { Producer } from '../bus/bus.js';
import { valueBudget } from '../bus/messageSize.js';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { CameraPipeline, type CameraPipelineSettings } from './cameraPipeline.js';
import type { FrameTiming } from './cameraPipeline.js';
import type { Detector } from './detector/detector.js';
import { encodeWithinLimit } from './fitMessage.js';
import type { FrameSource, SourceStatus } from './sources/frameSource.js';

export interface StageCamera {
  id: string;
  source: FrameSource;
  pipeline: CameraPipelineSettings;
}

export interface FrameProcessedEvent {
  cameraId: string;
  /** From the frame leaving the decoder to its result being published. */
  pipelineMs: number;
  timing: FrameTiming & { encodeMs: number; publishMs: number };
  detections: number;
  groups: number;
}

export interface DetectionStageEvents {
  frame_processed: [FrameProcessedEvent];
  frame_failed: [{ cameraId: string; code: string }];
  /** A frame motion gating kept from the detector (not a processed frame). */
  frame_gated: [{ cameraId: string }];
  camera_state: [{ cameraId: string; status: SourceStatus }];
}

export interface DetectionStageOptions {
  cameras: readonly StageCamera[];
  detector: Detector;
  producer: Producer;
  topic: string;
  maxMessageBytes: number;
  logger: Logger;
  /**
   * Camera starts are spread evenly over this long. Sources sample on a clock that starts with them, so
   * cameras started together would deliver their frames together, and every frame would wait behind the
   * others at the shared detector; spread over one frame interval they arrive in turn.
   */
  startSpreadMs: number;
}

export interface DetectionStage {
  readonly events: EventEmitter<DetectionStageEvents>;
  start(): void;
  cameraStatuses(): Record<string, SourceStatus>;
  /** Stops the sources and waits for frames in progress to be published. */
  stop(): Promise<void>;
}

export function createDetectionStage(options: DetectionStageOptions): DetectionStage {
  const events = new EventEmitter<DetectionStageEvents>();
  const loops: Promise<void>[] = [];
  const startTimers = new Set<NodeJS.Timeout>();

  const runCamera = async (camera: StageCamera): Promise<void> => {
    const logger = options.logger.child({ camera: camera.id });
    const pipeline = new CameraPipeline(options.detector, camera.pipeline);
    for (let frame = await camera.source.nextFrame(); frame !== null; frame = await camera.source.nextFrame()) {
      if (!pipeline.needsInference(frame)) {
        frame.release();
        events.emit('frame_gated', { cameraId: camera.id });
        continue;
      }
      try {
        const { message, timing } = await pipeline.process(frame).finally(() => frame.release());
        const encodeStarted = performance.now();
        const encoded = encodeWithinLimit(message, valueBudget(options.maxMessageBytes, camera.id));
        if (!encoded.ok) throw new AppError(encoded.error.code, `result does not fit the contract: ${encoded.error.message}`);
        if (encoded.droppedImages > 0) logger.warn({ dropped: encoded.droppedImages }, 'result over the message limit: images left out');
        const publishStarted = performance.now();
        const encodeMs = publishStarted - encodeStarted;
        await options.producer.send(options.topic, [{ key: camera.id, value: encoded.value }]);
        events.emit('frame_processed', {
          cameraId: camera.id,
          pipelineMs: Date.now() - frame.capturedAtMs,
          timing: { ...timing, encodeMs, publishMs: performance.now() - publishStarted },
          detections: message.detections.length,
          groups: message.groups.length,
        });
      } catch (error) {
        // A live stream moves on: this frame is lost (counted, logged), the camera is not.
        const code = error instanceof AppError ? error.code : 'frame_failed';
        logger.error({ err: error, frame: frame.sequence }, 'frame not published');
        events.emit('frame_failed', { cameraId: camera.id, code });
      }
    }
  };

  return {
    events,
    start() {
      options.cameras.forEach((camera, index) => {
        camera.source.events.on('state', (status) => {
          options.logger.info({ camera: camera.id, state: status.state, reason: status.reason }, 'camera state');
          events.emit('camera_state', { cameraId: camera.id, status });
        });
        const timer = setTimeout(() => {
          startTimers.delete(timer);
          camera.source.start();
        }, (index * options.startSpreadMs) / options.cameras.length);
        startTimers.add(timer);
        loops.push(runCamera(camera));
      });
    },
    cameraStatuses: () => Object.fromEntries(options.cameras.map((camera) => [camera.id, camera.source.status()])),
    async stop() {
      for (const timer of startTimers) clearTimeout(timer);
      startTimers.clear();
      await Promise.all(options.cameras.map((camera) => camera.source.stop()));
      await Promise.all(loops);
    },
  };
}
