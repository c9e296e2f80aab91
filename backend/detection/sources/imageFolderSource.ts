// A camera made of still images in a folder, shown in name order at the camera's fps (demos, tests, offline review).
import { readdirSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../core/clock.js';
import { fitFrame, readImageFrame } from '../imageFile.js';
import type { FrameSource, SourceEvents, SourceState, SourceStatus } from './frameSource.js';
import { LatestFrameSlot } from './latestFrameSlot.js';

const IMAGE_FILE = /\.(jpe?g|png|webp|bmp|tiff?)$/i;

export interface ImageFolderSourceOptions {
  folder: string;
  fps: number;
  loop: boolean;
  /** The detection image fits in a square of this side. */
  fitSize: number;
  clock?: Clock;
}

export function createImageFolderSource(options: ImageFolderSourceOptions): FrameSource {
  const clock = options.clock ?? systemClock;
  const events = new EventEmitter<SourceEvents>();
  const slot = new LatestFrameSlot();
  const abort = new AbortController();
  let state: SourceState = 'starting';
  let reason: string | null = null;
  let framesRead = 0;
  let lastFrameAtMs: number | null = null;
  let running: Promise<void> | null = null;

  const status = (): SourceStatus => ({ state, decode: 'all', decodeNote: null, reason, framesRead, framesSkipped: slot.skipped, restarts: 0, lastFrameAtMs, pid: null });
  const setState = (next: SourceState, why: string | null): void => {
    if (next === state && why === reason) return;
    state = next;
    reason = why;
    events.emit('state', status());
  };

  const run = async (): Promise<void> => {
    const files = readdirSync(options.folder).filter((name) => IMAGE_FILE.test(name)).sort();
    if (files.length === 0) {
      setState('failed', `no images in ${options.folder}`);
      return;
    }
    const intervalMs = 1000 / options.fps;
    let next = clock.monotonic();
    do {
      for (const name of files) {
        if (abort.signal.aborted) return;
        try {
          const frame = await readImageFrame(join(options.folder, name));
          const image = await fitFrame(frame, options.fitSize);
          framesRead++;
          lastFrameAtMs = clock.now();
          slot.put({ width: frame.width, height: frame.height, image, picture: () => ({ format: 'rgb', frame }), release: () => undefined, capturedAtMs: lastFrameAtMs, sequence: framesRead });
          setState('live', null);
        } catch (error) {
          // One unreadable file does not stop the camera; it is shown as the reason until the next good frame.
          setState('live', error instanceof Error ? error.message : String(error));
        }
        next += intervalMs;
        await clock.sleep(Math.max(0, next - clock.monotonic()), abort.signal).catch(() => undefined);
      }
    } while (options.loop && !abort.signal.aborted);
    if (!abort.signal.aborted) {
      setState('ended', null);
      slot.close();
    }
  };

  return {
    url: options.folder,
    events,
    status,
    start() {
      running ??= run().catch((error: unknown) => setState('failed', error instanceof Error ? error.message : String(error)));
    },
    nextFrame: () => slot.take(),
    async stop() {
      abort.abort();
      await running;
      slot.close();
      setState('stopped', null);
    },
  };
}
