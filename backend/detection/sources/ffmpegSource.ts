// A camera read by an ffmpeg child process; restarted with backoff whenever it dies or goes silent.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../../core/clock.js';
import { redactUrlCredentials } from '../../core/redact.js';
import { backoffDelay } from '../../core/retry.js';
import { ffmpegArgs, streamKindOf, type FfmpegInput } from './ffmpegArgs.js';
import type { FrameSource, SourceEvents, SourceState, SourceStatus } from './frameSource.js';
import { LatestFrameSlot } from './latestFrameSlot.js';
import { PpmStream, PpmStreamError } from './ppmStream.js';

export interface FfmpegSourceOptions extends FfmpegInput {
  ffmpegPath: string;
  /** No frame for this long while running: the process is killed and restarted. */
  stallTimeoutMs: number;
  restartDelay: { initialDelayMs: number; maxDelayMs: number };
  /** Consecutive failed starts after which the state says `failed` (retries go on at the longest delay). */
  failAfterAttempts: number;
  clock?: Clock;
}

const STDERR_LINES_KEPT = 5;

export function createFfmpegSource(options: FfmpegSourceOptions): FrameSource {
  const clock = options.clock ?? systemClock;
  const events = new EventEmitter<SourceEvents>();
  const slot = new LatestFrameSlot();
  const isLoopingFile = streamKindOf(options.url) === 'file' && options.loop;
  let state: SourceState = 'starting';
  let reason: string | null = null;
  let framesRead = 0;
  let restarts = 0;
  let failedAttempts = 0;
  let lastFrameAtMs: number | null = null;
  let child: ChildProcess | null = null;
  let restartTimer: NodeJS.Timeout | null = null;
  let stallTimer: NodeJS.Timeout | null = null;
  let stopping = false;
  /** Why the running process is failing, when we know better than its stderr (stall, malformed output, spawn error). */
  let lastError: string | null = null;

  const status = (): SourceStatus => ({ state, reason, framesRead, framesSkipped: slot.skipped, restarts, lastFrameAtMs, pid: child?.pid ?? null });
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

  const launch = (): void => {
    restartTimer = null;
    if (stopping) return;
    const stderrLines: string[] = [];
    const ppm = new PpmStream();
    lastError = null;
    const proc = spawn(options.ffmpegPath, ffmpegArgs(options), { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    armStallTimer();
    proc.stdout.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = ppm.push(chunk);
      } catch (error) {
        if (!(error instanceof PpmStreamError)) throw error;
        lastError = error.message;
        proc.kill('SIGKILL');
        return;
      }
      for (const frame of frames) {
        framesRead++;
        failedAttempts = 0;
        lastFrameAtMs = clock.now();
        slot.put({ ...frame, capturedAtMs: lastFrameAtMs, sequence: framesRead });
        armStallTimer();
        setState('live', null);
      }
    });
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (text: string) => {
      for (const line of text.split('\n')) if (line.trim() !== '') stderrLines.push(line.trim());
      stderrLines.splice(0, Math.max(0, stderrLines.length - STDERR_LINES_KEPT));
    });
    proc.on('error', (error) => {
      lastError = `cannot run ffmpeg (${options.ffmpegPath}): ${error.message}`;
    });
    proc.on('close', (code, signal) => {
      if (stallTimer) clearTimeout(stallTimer);
      stallTimer = null;
      child = null;
      if (stopping) return;
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
