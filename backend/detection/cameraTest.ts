// The settings view's "test" for a camera URL: one frame decoded and run through the detector, with the boxes
// found, or why no frame came. The detector is the detection stage's when it runs here, or one made on first use.
import type { AppConfig } from '../config/index.js';
import type { CameraTestResult } from '../contracts/index.js';
import { redactUrlCredentials } from '../core/redact.js';
import { createDetector, type Detector } from './detector/detector.js';
import { ensureModelFile } from './detector/modelFile.js';
import { cameraPipelineSettings, detectorSettings, modelFileSettings } from './detectionSettings.js';
import { sampleSource } from './sampleSource.js';
import { createSource } from './sources/createSource.js';

const TEST_TIMEOUT_MS = 15_000;

export interface CameraTester {
  test(url: string): Promise<CameraTestResult>;
  /** Closes a detector made for testing (not the stage's). */
  close(): Promise<void>;
}

export function createCameraTester(config: AppConfig, stageDetector: Detector | null): CameraTester {
  let own: Promise<Detector> | null = null;
  const detector = (): Promise<Detector> => {
    if (stageDetector) return Promise.resolve(stageDetector);
    own ??= ensureModelFile(modelFileSettings(config.detector)).then(() => createDetector(detectorSettings(config.detector)));
    return own;
  };
  return {
    async test(url) {
      const source = createSource({ url, fps: 1, width: null, loop: false, fitSize: config.detector.model.input_size, ffmpegPath: config.detector.ffmpeg_path });
      const { frames, status } = await sampleSource(source, await detector(), cameraPipelineSettings('settings-test', config), 1, TEST_TIMEOUT_MS);
      const frame = frames[0];
      if (!frame) {
        const reason = status.reason ?? `no frame within ${TEST_TIMEOUT_MS / 1000} s (source ${status.state})`;
        return { ok: false, reason: redactUrlCredentials(reason), frame_width: null, frame_height: null, jpeg_b64: null, detections: [], infer_ms: null };
      }
      const { message, timing } = frame;
      return {
        ok: true,
        reason: null,
        frame_width: message.frame_width,
        frame_height: message.frame_height,
        jpeg_b64: message.thumbnail_jpeg_b64,
        detections: message.detections,
        infer_ms: Math.round(timing.inferMs * 10) / 10,
      };
    },
    async close() {
      if (own) await (await own.catch(() => null))?.close();
    },
  };
}
