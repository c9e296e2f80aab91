// The camera wall bench's load: real frames of a video through the real detector once, then published to
// detection-results for many cameras at their frame rate, as detection nodes elsewhere in a cluster would.
import { appConfigSchema } from '../config/index.js';
import type { Producer } from '../bus/bus.js';
import type { DetectionResultMessage } from '../contracts/index.js';
import { createDetector } from '../detection/detector/detector.js';
import { cameraPipelineSettings, detectorSettings } from '../detection/detectionSettings.js';
import { sampleSource } from '../detection/sampleSource.js';
import { bundledFfmpegPath, createSource } from '../detection/sources/createSource.js';

const SAMPLE_TIMEOUT_MS = 30_000;

/** `count` consecutive frames of `video` at 2 frames/s, each detected, tracked and grouped by the real pipeline. */
export async function detectedFrames(video: string, modelPath: string, count: number): Promise<DetectionResultMessage[]> {
  const config = appConfigSchema.parse({});
  const detector = await createDetector(detectorSettings(config.detector, modelPath));
  try {
    const source = createSource({ url: video, fps: 2, width: null, loop: true, fitSize: config.detector.model.input_size, ffmpegPath: bundledFfmpegPath() });
    const { frames, status } = await sampleSource(source, detector, cameraPipelineSettings('wall-bench', config), count, SAMPLE_TIMEOUT_MS);
    if (frames.length === 0) throw new Error(`no frame from ${video}: ${status.reason ?? status.state}`);
    return frames.map((frame) => frame.message);
  } finally {
    await detector.close();
  }
}

export interface WallPublisher {
  /** Frames published so far. */
  published(): number;
  /** Pauses or resumes publishing (a paused wall is the bench's baseline). */
  setPaused(paused: boolean): void;
  stop(): Promise<void>;
}

const TICK_MS = 50;

/**
 * Camera `wall-001`… each publishes a frame every 1/fps s, the cameras evenly spread over the period. Each camera
 * walks the frames from its own starting point, so neighbouring tiles show different pictures.
 */
export function startWallPublisher(producer: Producer, topic: string, frames: readonly DetectionResultMessage[], cameras: number, fps: number): WallPublisher {
  const periodMs = 1000 / fps;
  const ids = Array.from({ length: cameras }, (_, index) => `wall-${String(index + 1).padStart(3, '0')}`);
  const startedAt = Date.now();
  const sent = new Array<number>(cameras).fill(0);
  let published = 0;
  let paused = false;
  let sending: Promise<void> = Promise.resolve();

  const tick = (): void => {
    const now = Date.now();
    const due: { key: string; value: string }[] = [];
    ids.forEach((id, index) => {
      const dueCount = Math.floor((now - startedAt - (index * periodMs) / cameras) / periodMs) + 1;
      while (sent[index]! < dueCount) {
        const seq = sent[index]!++;
        if (paused) continue;
        const frame = frames[(index * 7 + seq) % frames.length]!;
        due.push({ key: id, value: JSON.stringify({ ...frame, camera_id: id, frame_id: `${id}-${startedAt}-${seq}`, captured_at_ms: now }) });
      }
    });
    if (due.length === 0) return;
    published += due.length;
    sending = sending.then(() => producer.send(topic, due));
  };
  const timer = setInterval(tick, TICK_MS);

  return {
    published: () => published,
    setPaused: (value) => (paused = value),
    async stop() {
      clearInterval(timer);
      await sending;
    },
  };
}
