// Picks the source for a camera URL: an image folder, or ffmpeg for streams and video files.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Clock } from '../../core/clock.js';
import { createFfmpegSource, type DecodeChoice } from './ffmpegSource.js';
import type { FrameSource } from './frameSource.js';
import { createImageFolderSource } from './imageFolderSource.js';

export interface SourceSettings {
  url: string;
  fps: number;
  width: number | null;
  loop: boolean;
  /** The detector's input side: detection images are scaled to fit it. */
  fitSize: number;
  /** auto: key frames only while they come as often as the camera samples. */
  decode?: DecodeChoice;
  /** null: the binary shipped in @ffmpeg-installer for this platform. */
  ffmpegPath: string | null;
  clock?: Clock;
}

/** The ffmpeg binary inside the npm package for this platform (all installer targets have one). */
export function bundledFfmpegPath(): string {
  const require = createRequire(import.meta.url);
  return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // not a local path: a URL or a file that does not exist yet; ffmpeg reports which
  }
}

export function createSource(settings: SourceSettings): FrameSource {
  if (isFolder(settings.url)) return createImageFolderSource({ folder: settings.url, fps: settings.fps, loop: settings.loop, fitSize: settings.fitSize, clock: settings.clock });
  return createFfmpegSource({
    url: settings.url,
    fps: settings.fps,
    width: settings.width,
    fitSize: settings.fitSize,
    decode: settings.decode ?? 'auto',
    loop: settings.loop,
    ioTimeoutMs: 10_000,
    ffmpegPath: settings.ffmpegPath ?? bundledFfmpegPath(),
    stallTimeoutMs: Math.max(15_000, 5000 / settings.fps),
    restartDelay: { initialDelayMs: 1000, maxDelayMs: 30_000 },
    failAfterAttempts: 5,
    clock: settings.clock,
  });
}
