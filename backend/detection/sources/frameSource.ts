// What every camera source offers the detection stage: pull the newest frame, and a status operators can see.
import type { EventEmitter } from 'node:events';
import type { Frame } from '../frame.js';

export interface CapturedFrame extends Frame {
  /** Wall-clock time the frame left the decoder. */
  capturedAtMs: number;
  /** Frames read by this source since it was created (across restarts). */
  sequence: number;
}

/** starting → live ⇄ reconnecting → failed (still retried, slower); ended: a non-looping file is done. */
export type SourceState = 'starting' | 'live' | 'reconnecting' | 'failed' | 'ended' | 'stopped';

export interface SourceStatus {
  state: SourceState;
  /** Why the source is not live (the decoder's last error line), credentials removed. */
  reason: string | null;
  framesRead: number;
  /** Frames dropped because detection had not taken the previous one yet. */
  framesSkipped: number;
  restarts: number;
  lastFrameAtMs: number | null;
  /** The decoder process, for an operator tracing a camera to its ffmpeg (null: none running, or no process). */
  pid: number | null;
}

export interface SourceEvents {
  state: [SourceStatus];
}

export interface FrameSource {
  readonly url: string;
  status(): SourceStatus;
  readonly events: EventEmitter<SourceEvents>;
  start(): void;
  /** The newest frame not yet taken; null once the source has stopped or ended. */
  nextFrame(): Promise<CapturedFrame | null>;
  stop(): Promise<void>;
}
