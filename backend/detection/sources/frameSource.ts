// What every camera source offers the detection stage: pull the newest frame, and a status operators can see.
import type { EventEmitter } from 'node:events';
import type { Frame } from '../frame.js';
import type { Picture } from '../picture.js';

export interface CapturedFrame {
  /** The picture's size: boxes, tracks and calibration points are in these pixels. */
  width: number;
  height: number;
  /**
   * The picture scaled to fit the detector's square input (aspect kept), as packed RGB: what detection and
   * thumbnails look at, so no full-size frame crosses into Node for them.
   */
  image: Frame;
  /** The full-size picture, for the crops of emitted groups; null once the source has recycled it. */
  picture(): Picture | null;
  /**
   * Called by whoever took the frame once nothing reads its image any more (after processing, or when a newer
   * frame replaced it unseen), so the source can fill the buffer again; a frame never released is collected.
   */
  release(): void;
  /** Wall-clock time the frame left the decoder. */
  capturedAtMs: number;
  /** Frames read by this source since it was created (across restarts). */
  sequence: number;
}

/** starting → live ⇄ reconnecting → failed (still retried, slower); ended: a non-looping file is done. */
export type SourceState = 'starting' | 'live' | 'reconnecting' | 'failed' | 'ended' | 'stopped';

/** key_frames: only key frames are decoded (the camera samples no faster than its GOP); all: every frame. */
export type DecodeMode = 'key_frames' | 'all';

export interface SourceStatus {
  state: SourceState;
  decode: DecodeMode;
  /** Why decoding is not what the config asked (e.g. key frames too far apart for the camera's fps). */
  decodeNote: string | null;
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
