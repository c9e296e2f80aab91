// A camera read by an ffmpeg child process; restarted with backoff whenever it dies or goes silent. Decodes
// key frames only while they come as often as the camera samples, and every frame (visibly) when they do not.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { systemClock, type Clock } from '../../core/clock.js';
import { redactUrlCredentials } from '../../core/redact.js';
import { backoffDelay } from '../../core/retry.js';
import type { Frame } from '../frame.js';
import { pictureSize, type Picture } from '../picture.js';
import { ffmpegArgs, PICTURE_FD, streamKindOf, type FfmpegInput } from './ffmpegArgs.js';
import type { DecodeMode, FrameSource, SourceEvents, SourceState, SourceStatus } from './frameSource.js';
import { KeyFrameCadence } from './keyFrameCadence.js';
import { LatestFrameSlot } from './latestFrameSlot.js';
import { PictureRing } from './pictureRing.js';
import { PpmStream, PpmStreamError, type NetpbmImage } from './ppmStream.js';

/** auto: key frames while they suffice for the camera's fps; all: always every frame. */
export type DecodeChoice = 'auto' | 'all';

export interface FfmpegSourceOptions extends Omit<FfmpegInput, 'decode'> {
  decode: DecodeChoice;
  ffmpegPath: string;
  /** No frame for this long while running: the process is killed and restarted. */
  stallTimeoutMs: number;
  restartDelay: { initialDelayMs: number; maxDelayMs: number };
  /** Consecutive failed starts after which the state says `failed` (retries go on at the longest delay). */
  failAfterAttempts: number;
  clock?: Clock;
}

const STDERR_LINES_KEPT = 5;
/** Released detection images kept for reuse (a camera has a frame in the slot and one or two in processing). */
const SPARE_IMAGES = 4;
/** Full pictures kept for crops: about two seconds of frames, at least 3, at most 16. */
const picturesKept = (fps: number): number => Math.min(16, Math.max(3, Math.ceil(2 * fps) + 1));

export function createFfmpegSource(options: FfmpegSourceOptions): FrameSource {
  const clock = options.clock ?? systemClock;
  const events = new EventEmitter<SourceEvents>();
  const slot = new LatestFrameSlot();
  const isLoopingFile = streamKindOf(options.url) === 'file' && options.loop;
  const intervalMs = 1000 / options.fps;
  const cadence = new KeyFrameCadence(intervalMs);
  const initialDecode: DecodeMode = options.decode === 'auto' ? 'key_frames' : 'all';
  let decode = initialDecode;
  let decodeNote: string | null = null;
  let state: SourceState = 'starting';
  let reason: string | null = null;
  let framesRead = 0;
  let restarts = 0;
  let failedAttempts = 0;
  let lastFrameAtMs: number | null = null;
  let child: ChildProcess | null = null;
  let restartTimer: NodeJS.Timeout | null = null;
  let stallTimer: NodeJS.Timeout | null = null;
  let cadenceTimer: NodeJS.Timeout | null = null;
  let stopping = false;
  /** The running decoder is being replaced by one that decodes every frame (not a failure). */
  let switchingDecode = false;
  /** Why the running process is failing, when we know better than its stderr (stall, malformed output, spawn error). */
  let lastError: string | null = null;

  const status = (): SourceStatus => ({ state, decode, decodeNote, reason, framesRead, framesSkipped: slot.skipped, restarts, lastFrameAtMs, pid: child?.pid ?? null });
  const setState = (next: SourceState, why: string | null): void => {
    if (next === state && why === reason) return;
    state = next;
    reason = why === null ? null : redactUrlCredentials(why);
    events.emit('state', status());
  };

  const armStallTimer = (): void => {
    if (stallTimer) clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      stallTimer = null;
      child?.kill('SIGKILL');
      lastError = `no frame for ${options.stallTimeoutMs} ms`;
    }, options.stallTimeoutMs);
  };

  const decodeEveryFrame = (why: string): void => {
    if (decode === 'all' || child === null) return;
    decode = 'all';
    decodeNote = why;
    switchingDecode = true;
    events.emit('state', status());
    child.kill('SIGKILL');
  };

  const launch = (): void => {
    restartTimer = null;
    if (stopping) return;
    const stderrLines: string[] = [];
    const pictures = new PictureRing(picturesKept(options.fps));
    // Detection images go back to this list when released: a new buffer per frame costs page faults and GC.
    const spareImages: Buffer[] = [];
    const images = new PpmStream((bytes) => {
      const index = spareImages.findIndex((buffer) => buffer.length === bytes);
      return index >= 0 ? spareImages.splice(index, 1)[0]! : Buffer.allocUnsafeSlow(bytes);
    });
    const releaseImage = (buffer: Buffer): void => {
      if (spareImages.length < SPARE_IMAGES && !spareImages.includes(buffer)) spareImages.push(buffer);
    };
    const pictureStream = new PpmStream((bytes) => pictures.allocate(bytes));
    let imagesRead = 0;
    let picturesRead = 0;
    lastError = null;
    cadence.reset();
    const proc = spawn(options.ffmpegPath, ffmpegArgs({ ...options, decode }), { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    child = proc;
    armStallTimer();
    if (decode === 'key_frames') {
      cadenceTimer = setInterval(() => {
        const why = cadence.silence(clock.monotonic());
        if (why !== null) decodeEveryFrame(why);
      }, intervalMs);
    }
    const parse = (stream: PpmStream, chunk: Buffer): NetpbmImage[] => {
      try {
        return stream.push(chunk);
      } catch (error) {
        if (!(error instanceof PpmStreamError)) throw error;
        lastError = error.message;
        proc.kill('SIGKILL');
        return [];
      }
    };
    // Frame k's detection image and full picture come on two pipes in either order; k is delivered once both are here.
    const waitingImages = new Map<number, Frame>();
    const deliver = (index: number): void => {
      const fitted = waitingImages.get(index);
      const picture = pictures.get(index);
      if (fitted === undefined || picture === null) return;
      waitingImages.delete(index);
      framesRead++;
      failedAttempts = 0;
      lastFrameAtMs = clock.now();
      slot.put({ ...pictureSize(picture), image: fitted, picture: () => pictures.get(index), release: () => releaseImage(fitted.data), capturedAtMs: lastFrameAtMs, sequence: framesRead });
      armStallTimer();
      setState('live', null);
      const why = decode === 'key_frames' ? cadence.frame(clock.monotonic()) : null;
      if (why !== null) decodeEveryFrame(why);
    };
    const refuse = (why: string): void => {
      lastError = why;
      proc.kill('SIGKILL');
    };
    (proc.stdio[PICTURE_FD] as Readable).on('data', (chunk: Buffer) => {
      for (const image of parse(pictureStream, chunk)) {
        const picture = pgmYuvPicture(image);
        if (typeof picture === 'string') return refuse(picture);
        const index = picturesRead++;
        pictures.add(index, picture);
        deliver(index);
      }
    });
    proc.stdout!.on('data', (chunk: Buffer) => {
      for (const image of parse(images, chunk)) {
        if (image.magic !== 'P6') return refuse('detection image is not RGB (PPM)');
        const index = imagesRead++;
        waitingImages.set(index, { data: image.data, width: image.width, height: image.height });
        deliver(index);
      }
    });
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (text: string) => {
      for (const line of text.split('\n')) if (line.trim() !== '') stderrLines.push(line.trim());
      stderrLines.splice(0, Math.max(0, stderrLines.length - STDERR_LINES_KEPT));
    });
    proc.on('error', (error) => {
      lastError = `cannot run ffmpeg (${options.ffmpegPath}): ${error.message}`;
    });
    proc.on('close', (code, signal) => {
      if (stallTimer) clearTimeout(stallTimer);
      if (cadenceTimer) clearInterval(cadenceTimer);
      stallTimer = null;
      cadenceTimer = null;
      child = null;
      if (stopping) return;
      if (switchingDecode) {
        switchingDecode = false;
        launch();
        return;
      }
      if (code === 0 && !isLoopingFile && streamKindOf(options.url) === 'file') {
        setState('ended', null);
        slot.close();
        return;
      }
      const why = lastError ?? stderrLines.at(-1) ?? (code === 0 ? 'stream ended' : `ffmpeg exited with ${signal ?? `code ${code}`}`);
      scheduleRestart(why);
    });
  };

  const scheduleRestart = (why: string): void => {
    failedAttempts++;
    restarts++;
    // A reconnect may reach a camera whose encoder was reconfigured: key frames get another chance.
    decode = initialDecode;
    decodeNote = null;
    setState(failedAttempts >= options.failAfterAttempts ? 'failed' : 'reconnecting', why);
    restartTimer = setTimeout(launch, backoffDelay(options.restartDelay, failedAttempts));
  };

  return {
    url: redactUrlCredentials(options.url),
    events,
    status,
    start() {
      if (child === null && restartTimer === null && !stopping) launch();
    },
    nextFrame: () => slot.take(),
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      if (stallTimer) clearTimeout(stallTimer);
      if (cadenceTimer) clearInterval(cadenceTimer);
      const running = child;
      if (running && running.exitCode === null) {
        const closed = new Promise((resolve) => running.once('close', resolve));
        running.kill('SIGTERM');
        const killLater = setTimeout(() => running.kill('SIGKILL'), 2000);
        await closed;
        clearTimeout(killLater);
      }
      slot.close();
      setState('stopped', null);
    },
  };
}

/** A pgmyuv picture is its Y plane over half as many chroma rows: 1.5 × the picture's height, even sizes. */
function pgmYuvPicture(image: NetpbmImage): Picture | string {
  const height = (image.height * 2) / 3;
  if (image.magic !== 'P5' || !Number.isInteger(height) || height % 2 !== 0 || image.width % 2 !== 0) return `full picture is not pgmyuv (${image.magic} ${image.width}×${image.height})`;
  return { format: 'pgmyuv', data: image.data, width: image.width, height };
}
