// Skipped frames per camera over the last half minute, from the decoders' counters in the cameras snapshots
// (every 2 s): the wall warns when detection drops a noticeable share of a camera's frames.
import type { CameraView } from '../../../backend/contracts/index.js';

/** Snapshots kept per camera: 15 × 2 s. */
export const HEALTH_WINDOW = 15;
/** Share of frames skipped over the window above which a tile warns. */
export const SKIP_WARNING_SHARE = 0.2;

export interface FrameCounts {
  read: number;
  skipped: number;
}

export type CameraHistory = Record<string, FrameCounts[]>;

/** Adds each camera's counters to its history; cameras decoded elsewhere (null counters) have none. */
export function withSnapshot(history: CameraHistory, cameras: readonly CameraView[]): CameraHistory {
  const next: CameraHistory = {};
  for (const camera of cameras) {
    if (camera.frames_read === null || camera.frames_skipped === null) continue;
    const before = history[camera.id] ?? [];
    // A restarted backend starts its counters again: the old history no longer compares.
    const restarted = before.length > 0 && before[before.length - 1]!.read > camera.frames_read;
    next[camera.id] = [...(restarted ? [] : before), { read: camera.frames_read, skipped: camera.frames_skipped }].slice(-HEALTH_WINDOW);
  }
  return next;
}

/** Share of frames skipped across the window; null until frames were read in it. */
export function skippedShare(history: readonly FrameCounts[] | undefined): number | null {
  if (!history || history.length < 2) return null;
  const first = history[0]!;
  const last = history[history.length - 1]!;
  const read = last.read - first.read;
  return read > 0 ? (last.skipped - first.skipped) / read : null;
}
