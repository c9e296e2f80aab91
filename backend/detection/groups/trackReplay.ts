// Replays a recorded track sequence (one frame of tracks per step, identities given) through the live group
// analysis and conflict measures: velocities are smoothed, tracks aged and dropped as the tracker does, so
// engineers can tune thresholds on recorded traffic (`tcr groups --tracks`).
import { z } from 'zod';
import { className, type GroupFeatures } from '../../contracts/index.js';
import type { Box } from '../../core/boxGeometry.js';
import type { CameraPipelineSettings } from '../cameraPipeline.js';
import { ConflictAnalysis } from '../conflict/conflictAnalysis.js';
import { groundPlaneOf } from '../conflict/groundPlane.js';
import { moveTrackTo, type TrackState } from '../tracker/tracker.js';
import { findGroups } from './groupAnalysis.js';

const coordinate = z.number().finite().min(-1e6).max(1e6);

export const recordedFrame = z.strictObject({
  t_ms: z.number().finite().nonnegative(),
  width: z.number().int().positive().max(100_000),
  height: z.number().int().positive().max(100_000),
  tracks: z
    .array(
      z
        .strictObject({ track_id: z.number().int().nonnegative(), class: className, box: z.tuple([coordinate, coordinate, coordinate, coordinate]) })
        .refine(({ box: [x1, y1, x2, y2] }) => x2 > x1 && y2 > y1, { message: 'box must be [x1, y1, x2, y2] with x2 > x1 and y2 > y1', path: ['box'] }),
    )
    .max(1000)
    .refine((tracks) => new Set(tracks.map((track) => track.track_id)).size === tracks.length, { message: 'a track_id appears twice in one frame' }),
});
export type RecordedFrame = z.infer<typeof recordedFrame>;

export class TrackReplay {
  private readonly tracks = new Map<number, TrackState>();
  private readonly conflict: ConflictAnalysis;
  private lastMs = -Infinity;

  constructor(private readonly settings: CameraPipelineSettings) {
    this.conflict = new ConflictAnalysis(settings.conflict, groundPlaneOf(settings.calibration));
  }

  /** The frame's groups with their measures; throws on a frame that goes back in time. */
  frame(input: RecordedFrame): GroupFeatures[] {
    if (input.t_ms <= this.lastMs) throw new RangeError(`t_ms ${input.t_ms} is not after the previous frame's ${this.lastMs}`);
    this.lastMs = input.t_ms;
    const { maxLostMs, velocitySmoothing } = this.settings.tracker;
    for (const [id, track] of this.tracks) {
      track.ageFrames++;
      if (input.t_ms - track.lastSeenMs > maxLostMs) this.tracks.delete(id);
    }
    const visible = input.tracks.map(({ track_id: trackId, class: name, box }) => {
      const existing = this.tracks.get(trackId);
      if (!existing) {
        const track: TrackState = { trackId, className: name, box: box as Box, ageFrames: 0, velocityPxS: [0, 0], lastSeenMs: input.t_ms };
        this.tracks.set(trackId, track);
        return track;
      }
      moveTrackTo(existing, box as Box, input.t_ms, velocitySmoothing);
      existing.className = name;
      return existing;
    });
    this.conflict.observe(visible, input.t_ms, input.width);
    return findGroups(visible, this.settings.groups, this.conflict).map((group) => this.conflict.withPet(group));
  }
}
