// Where each track of one camera has been lately: the motion gate (moving or jittering in place) and the
// post-encroachment time (who passed a spot when) both look back along these paths.
import type { Box } from '../../core/boxGeometry.js';

export interface PathSample {
  tMs: number;
  box: Box;
}

/** Samples kept per track, whatever the frame rate: bounds memory for a track that lasts the whole window. */
const MAX_SAMPLES = 600;

export class TrackPaths {
  private readonly paths = new Map<number, PathSample[]>();

  constructor(private readonly keepMs: number) {}

  record(tracks: readonly { trackId: number; box: Box }[], tMs: number): void {
    for (const track of tracks) {
      const path = this.paths.get(track.trackId) ?? [];
      const last = path[path.length - 1];
      // A replayed or restarted sequence may go back in time: the path starts again rather than fold on itself.
      if (last && last.tMs >= tMs) path.length = 0;
      path.push({ tMs, box: track.box });
      if (path.length > MAX_SAMPLES) path.shift();
      this.paths.set(track.trackId, path);
    }
    for (const [id, path] of this.paths) {
      while (path.length > 0 && tMs - path[0]!.tMs > this.keepMs) path.shift();
      if (path.length === 0) this.paths.delete(id);
    }
  }

  path(trackId: number): readonly PathSample[] {
    return this.paths.get(trackId) ?? [];
  }
}
