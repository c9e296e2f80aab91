// ByteTrack-style association: confident detections first, weak ones only to keep existing tracks alive,
// predicted positions from each track's velocity, and tracks that survive a few missed frames.
import type { DetectedObject } from '../detector/detector.js';
import { boxCenter, iou, shiftBox, type Box } from '../../core/boxGeometry.js';

export interface TrackerSettings {
  /** Detections at or above this score may start tracks and are matched first. */
  highScore: number;
  /** Minimum IoU between a track's predicted box and a detection to be the same object. */
  matchIou: number;
  /** A track unseen for longer than this is dropped. */
  maxLostMs: number;
  /** Weight of the newest measurement in the smoothed velocity (0–1). */
  velocitySmoothing: number;
  /** Classes that may swap between frames without starting a new track (e.g. car ⇄ truck). */
  sameObjectClasses: readonly (readonly string[])[];
}

export interface TrackState {
  trackId: number;
  className: string;
  box: Box;
  /** Frames since the track started. */
  ageFrames: number;
  velocityPxS: [number, number];
  lastSeenMs: number;
}

export interface TrackedObject extends DetectedObject {
  trackId: number | null;
}

export interface TrackerUpdate {
  objects: TrackedObject[];
  /** Tracks seen in this frame. */
  visible: TrackState[];
}

export class Tracker {
  private tracks: TrackState[] = [];
  private nextId = 1;
  private readonly familyOf: (className: string) => string;

  constructor(private readonly settings: TrackerSettings) {
    const families = new Map<string, string>();
    for (const members of settings.sameObjectClasses) for (const name of members) families.set(name, members[0]!);
    this.familyOf = (name) => families.get(name) ?? name;
  }

  update(detected: readonly DetectedObject[], timestampMs: number): TrackerUpdate {
    for (const track of this.tracks) track.ageFrames++;
    this.tracks = this.tracks.filter((track) => timestampMs - track.lastSeenMs <= this.settings.maxLostMs);
    const objects: TrackedObject[] = detected.map((object) => ({ ...object, trackId: null }));
    const unmatched = new Set(this.tracks);
    const high = objects.filter((object) => object.score >= this.settings.highScore);
    const low = objects.filter((object) => object.score < this.settings.highScore);
    const visible = [...this.associate(high, unmatched, timestampMs), ...this.associate(low, unmatched, timestampMs)];
    for (const object of high) {
      if (object.trackId !== null) continue;
      const track: TrackState = { trackId: this.nextId++, className: object.className, box: object.box, ageFrames: 0, velocityPxS: [0, 0], lastSeenMs: timestampMs };
      object.trackId = track.trackId;
      this.tracks.push(track);
      visible.push(track);
    }
    return { objects, visible };
  }

  /**
   * A frame judged still by motion gating, not looked at: the tracks seen last are where they were. They are
   * kept alive to this time, but not aged (ages count the frames the detector saw) and not moved.
   */
  hold(timestampMs: number): void {
    const lastUpdate = Math.max(-Infinity, ...this.tracks.map((track) => track.lastSeenMs));
    for (const track of this.tracks) if (track.lastSeenMs === lastUpdate) track.lastSeenMs = timestampMs;
  }

  /** Greedy matching by IoU, best pairs first; matched tracks are moved on and returned. */
  private associate(objects: TrackedObject[], unmatched: Set<TrackState>, timestampMs: number): TrackState[] {
    const pairs: { object: TrackedObject; track: TrackState; overlap: number }[] = [];
    for (const track of unmatched) {
      const dt = (timestampMs - track.lastSeenMs) / 1000;
      const predicted = shiftBox(track.box, track.velocityPxS[0] * dt, track.velocityPxS[1] * dt);
      for (const object of objects) {
        if (this.familyOf(object.className) !== this.familyOf(track.className)) continue;
        const overlap = iou(predicted, object.box);
        if (overlap >= this.settings.matchIou) pairs.push({ object, track, overlap });
      }
    }
    pairs.sort((a, b) => b.overlap - a.overlap);
    const matched: TrackState[] = [];
    for (const { object, track } of pairs) {
      if (object.trackId !== null || !unmatched.has(track)) continue;
      unmatched.delete(track);
      object.trackId = track.trackId;
      this.moveTrack(track, object, timestampMs);
      matched.push(track);
    }
    return matched;
  }

  private moveTrack(track: TrackState, object: TrackedObject, timestampMs: number): void {
    moveTrackTo(track, object.box, timestampMs, this.settings.velocitySmoothing);
    // The class of a confident detection wins; a weak one keeps the track's class.
    if (object.score >= this.settings.highScore) track.className = object.className;
  }
}

/** Moves a track to its new box and updates its smoothed velocity (also used to replay recorded tracks). */
export function moveTrackTo(track: TrackState, box: Box, timestampMs: number, velocitySmoothing: number): void {
  const dt = (timestampMs - track.lastSeenMs) / 1000;
  if (dt > 0) {
    const [x0, y0] = boxCenter(track.box);
    const [x1, y1] = boxCenter(box);
    const a = track.ageFrames <= 1 ? 1 : velocitySmoothing;
    track.velocityPxS = [a * ((x1 - x0) / dt) + (1 - a) * track.velocityPxS[0], a * ((y1 - y0) / dt) + (1 - a) * track.velocityPxS[1]];
  }
  track.box = box;
  track.lastSeenMs = timestampMs;
}
