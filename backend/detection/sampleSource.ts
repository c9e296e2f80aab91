// Runs a few frames of one source through detection, tracking and grouping: the check behind `tcr detect --source`.
import { OperationTimeoutError, withTimeout } from '../core/withTimeout.js';
import type { Detector } from './detector/detector.js';
import { CameraPipeline, type CameraPipelineSettings, type ProcessedFrame } from './cameraPipeline.js';
import type { FrameSource, SourceStatus } from './sources/frameSource.js';

export interface SampleResult {
  frames: ProcessedFrame[];
  status: SourceStatus;
}

/** Stops after `frames` frames, when the source ends, or when it has not delivered for `timeoutMs`. */
export async function sampleSource(source: FrameSource, detector: Detector, pipeline: CameraPipelineSettings, frames: number, timeoutMs: number): Promise<SampleResult> {
  const camera = new CameraPipeline(detector, pipeline);
  const processed: ProcessedFrame[] = [];
  source.start();
  try {
    while (processed.length < frames) {
      const frame = await withTimeout(source.nextFrame(), timeoutMs, 'the next frame').catch((error: unknown) => {
        if (error instanceof OperationTimeoutError) return null; // a silent source ends the sample; its status says why
        throw error;
      });
      if (frame === null) break;
      processed.push(await camera.process(frame).finally(() => frame.release()));
    }
    return { frames: processed, status: source.status() };
  } finally {
    await source.stop();
  }
}
