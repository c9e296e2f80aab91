// 冲突指标: the surrogate safety measures of a group's person–vehicle and vehicle–vehicle pairs, per camera.
// Each road user is first judged: moving or still (net movement over a window, so box jitter is not motion),
// and plausible (a detection jump is not a speed). A pair gets a time to collision only when both tracks are
// old enough and plausible; the measures are in metres on a calibrated camera, in pixels otherwise.
import type { ConflictPair, GroupFeatures } from '../../contracts/index.js';
import { boxCenter, boxGap, boxScale, unionBox, type Box } from '../../core/boxGeometry.js';
import type { TrackState } from '../tracker/tracker.js';
import type { GroundPlane } from './groundPlane.js';
import { boxApproach, discApproach, postEncroachment, type Approach } from './pairMeasures.js';
import { TrackPaths, type PathSample } from './trackPaths.js';

export interface ConflictSettings {
  horizonS: number;
  /** Road users further apart than the group link distance still form a group when on course to touch this soon (0: never). */
  linkTtcS: number;
  /** …or when one has just passed where the other was, this shortly after it (0: never). */
  linkPetS: number;
  minTrackAgeFrames: number;
  motionWindowMs: number;
  minMotionFactor: number;
  minMotionPx: number;
  maxSpeedSizesPerS: number;
  maxSpeedMS: Readonly<Record<string, number>>;
  historyMs: number;
  personClasses: readonly string[];
  vehicleClasses: readonly string[];
  vehiclePairClasses: readonly string[];
}

export type ConflictMeasures = Pick<GroupFeatures, 'calibrated' | 'min_ttc_s' | 'min_ttc_pair' | 'min_pet_s' | 'conflicts'>;

const MAX_PAIRS = 20;
const DEFAULT_MAX_SPEED_M_S = 70;
/** The foot point is moved back by this much of the velocity to find the ground velocity. */
const GROUND_VELOCITY_STEP_S = 0.5;
/** A road user's disc on the ground: half its box's footprint width, within these bounds (metres). */
const RADIUS_M: readonly [number, number] = [0.2, 8];

interface Mover {
  track: TrackState;
  /** Velocity used for the measures: the track's, or zero for one taken as still. */
  velocity: [number, number];
  /** Its speed is plausible and it is known to move or to stand (not yet known on a short path). */
  plausible: boolean;
  /** On the ground plane: position, velocity and disc radius; null above the horizon or uncalibrated. */
  ground: { at: [number, number]; velocity: [number, number]; radius: number } | null;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;
const footOf = (box: Box): [number, number] => [(box[0] + box[2]) / 2, box[3]];

export class ConflictAnalysis {
  private readonly paths: TrackPaths;
  /** The camera's frame width (the scale model's x is measured from the image centre). */
  private frameWidth = 0;
  /** This frame's road users, judged once. */
  private movers = new Map<number, Mover>();
  /** This frame's post-encroachment times, by pair ("a-b"). */
  private pets = new Map<string, number | null>();

  constructor(
    private readonly settings: ConflictSettings,
    private readonly plane: GroundPlane | null,
  ) {
    this.paths = new TrackPaths(settings.historyMs);
  }

  /** Every frame, before its groups are found: the visible tracks' positions, and each one judged. */
  observe(visible: readonly TrackState[], tMs: number, frameWidth: number): void {
    this.paths.record(visible, tMs);
    this.frameWidth = frameWidth;
    this.movers = new Map(visible.map((track) => [track.trackId, this.judge(track)]));
    this.pets = new Map();
  }

  /** Whether two road users of this frame are on course to touch within the link time (they belong in one group). */
  onCourse(a: TrackState, b: TrackState): boolean {
    const kind = this.kindOf(a.className, b.className);
    if (!kind) return false;
    const ttc = this.settings.linkTtcS > 0 ? this.pairOf(this.moverOf(a), this.moverOf(b), kind).ttc_s : null;
    if (ttc !== null && ttc <= this.settings.linkTtcS) return true;
    if (this.settings.linkPetS <= 0) return false;
    const pet = this.petOf(a.trackId, b.trackId);
    return pet !== null && pet <= this.settings.linkPetS;
  }

  /**
   * Whether two tracks' recent paths share ground and run across each other (both moved, headings 30° or more
   * apart): the pairs a post-encroachment time is looked for. Vehicles following in one lane also pass the same
   * spots, a headway apart, and two road users jittering in place overlap now and then: neither is an encroachment.
   */
  private pathsCross(a: number, b: number): boolean {
    const [pa, pb] = [this.paths.path(a), this.paths.path(b)];
    if (pa.length < 2 || pb.length < 2) return false;
    const [ra, rb] = [unionBox(pa.map((sample) => sample.box)), unionBox(pb.map((sample) => sample.box))];
    if (boxGap(ra, rb) > 0) return false;
    const [ha, hb] = [this.headingOf(pa), this.headingOf(pb)];
    return ha !== null && hb !== null && Math.abs(ha[0] * hb[0] + ha[1] * hb[1]) <= Math.cos(Math.PI / 6);
  }

  /** The direction a path runs, when it shows motion (the same test as `motionOf`, over the whole path). */
  private headingOf(path: readonly PathSample[]): [number, number] | null {
    const fit = lineFit(path.map((sample) => [sample.tMs / 1000, ...boxCenter(sample.box)] as const));
    const needed = Math.max(this.settings.minMotionFactor * boxScale(path[path.length - 1]!.box), this.settings.minMotionPx);
    if (fit === null || fit.displacement < needed || fit.significance < MIN_MOTION_SIGNIFICANCE) return null;
    const speed = Math.hypot(...fit.velocity);
    return [fit.velocity[0] / speed, fit.velocity[1] / speed];
  }

  /** Time to collision and the rest for a group's members; post-encroachment time comes with `withPet`. */
  measure(members: readonly TrackState[]): ConflictMeasures {
    const conflicts: ConflictPair[] = [];
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const kind = this.kindOf(members[i]!.className, members[j]!.className);
        if (!kind) continue;
        conflicts.push(this.pairOf(this.moverOf(members[i]!), this.moverOf(members[j]!), kind));
      }
    }
    conflicts.sort((a, b) => (a.ttc_s ?? Infinity) - (b.ttc_s ?? Infinity) || a.min_separation - b.min_separation);
    const kept = conflicts.slice(0, MAX_PAIRS);
    const first = kept[0];
    return {
      calibrated: this.plane !== null,
      min_ttc_s: first?.ttc_s ?? null,
      min_ttc_pair: first && first.ttc_s !== null ? { track_ids: first.track_ids, classes: first.classes } : null,
      min_pet_s: null,
      conflicts: kept,
    };
  }

  /** Adds each pair's post-encroachment time from the tracks' paths (for the groups a frame publishes). */
  withPet<G extends ConflictMeasures>(group: G): G {
    const conflicts = group.conflicts.map((pair) => ({ ...pair, pet_s: nullableRound(this.petOf(...pair.track_ids)) }));
    const pets = conflicts.map((pair) => pair.pet_s).filter((pet) => pet !== null);
    return { ...group, conflicts, min_pet_s: pets.length > 0 ? Math.min(...pets) : null };
  }

  private petOf(a: number, b: number): number | null {
    const key = pairKey(a, b);
    if (!this.pets.has(key) && !this.pathsCross(a, b)) this.pets.set(key, null);
    if (!this.pets.has(key)) {
      const overlap = this.plane ? this.groundOverlap() : (x: PathSample, y: PathSample) => boxGap(x.box, y.box) === 0;
      this.pets.set(key, postEncroachment(this.paths.path(a), this.paths.path(b), overlap));
    }
    return this.pets.get(key)!;
  }

  private kindOf(a: string, b: string): ConflictPair['kind'] | null {
    const { personClasses: people, vehicleClasses: vehicles, vehiclePairClasses: pairVehicles } = this.settings;
    if ((people.includes(a) && vehicles.includes(b)) || (people.includes(b) && vehicles.includes(a))) return 'person_vehicle';
    if (pairVehicles.includes(a) && pairVehicles.includes(b)) return 'vehicle_vehicle';
    return null;
  }

  private moverOf(track: TrackState): Mover {
    return this.movers.get(track.trackId) ?? this.judge(track);
  }

  private judge(track: TrackState): Mover {
    const motion = this.motionOf(track);
    const velocity: [number, number] = motion === 'moving' ? [track.velocityPxS[0], track.velocityPxS[1]] : [0, 0];
    const ground = this.plane ? this.onGround(track.box, velocity) : null;
    const speedOk = this.plane
      ? ground !== null && Math.hypot(...ground.velocity) <= (this.settings.maxSpeedMS[track.className] ?? DEFAULT_MAX_SPEED_M_S)
      : Math.hypot(...velocity) <= this.settings.maxSpeedSizesPerS * boxScale(track.box);
    return { track, velocity, plausible: speedOk && motion !== 'unknown', ground };
  }

  /**
   * Moving: over the last window (or the track's whole path, if shorter) its centre moved along a line by at
   * least max(min_motion_factor × its size, min_motion_px), and that line stands out of the scatter around it
   * (slope ≥ 3 standard errors). Box jitter stays within a few pixels, however long it lasts; slow walking adds up.
   * Still: not moving over a whole window. Otherwise not known yet (a short path): such a track gets no TTC.
   */
  private motionOf(track: TrackState): 'moving' | 'still' | 'unknown' {
    const path = this.paths.path(track.trackId);
    const last = path[path.length - 1];
    if (!last || path.length < 2) return 'unknown';
    const samples = path.filter((sample) => sample.tMs >= last.tMs - this.settings.motionWindowMs);
    const fit = lineFit(samples.map((sample) => [sample.tMs / 1000, ...boxCenter(sample.box)] as const));
    const needed = Math.max(this.settings.minMotionFactor * boxScale(last.box), this.settings.minMotionPx);
    if (fit !== null && fit.displacement >= needed && fit.significance >= MIN_MOTION_SIGNIFICANCE) return 'moving';
    return last.tMs - path[0]!.tMs >= this.settings.motionWindowMs ? 'still' : 'unknown';
  }

  private onGround(box: Box, velocity: readonly [number, number]): Mover['ground'] {
    const toGround = (point: readonly [number, number]) => this.plane!.toGround(point, this.frameWidth);
    const foot = footOf(box);
    const at = toGround(foot);
    const before = toGround([foot[0] - velocity[0] * GROUND_VELOCITY_STEP_S, foot[1] - velocity[1] * GROUND_VELOCITY_STEP_S]);
    const [left, right] = [toGround([box[0], box[3]]), toGround([box[2], box[3]])];
    if (!at || !before || !left || !right) return null;
    const radius = Math.min(RADIUS_M[1], Math.max(RADIUS_M[0], Math.hypot(right[0] - left[0], right[1] - left[1]) / 2));
    return { at, velocity: [(at[0] - before[0]) / GROUND_VELOCITY_STEP_S, (at[1] - before[1]) / GROUND_VELOCITY_STEP_S], radius };
  }

  /** Two path samples share a spot on the road when their foot points' discs touch. */
  private groundOverlap(): (a: PathSample, b: PathSample) => boolean {
    return (a, b) => {
      const [ga, gb] = [this.onGround(a.box, [0, 0]), this.onGround(b.box, [0, 0])];
      return ga !== null && gb !== null && Math.hypot(ga.at[0] - gb.at[0], ga.at[1] - gb.at[1]) <= ga.radius + gb.radius;
    };
  }

  private pairOf(a: Mover, b: Mover, kind: ConflictPair['kind']): ConflictPair {
    const approach: Approach | null =
      this.plane === null
        ? boxApproach(a.track.box, a.velocity, b.track.box, b.velocity, this.settings.horizonS)
        : a.ground && b.ground
          ? discApproach(a.ground.at, a.ground.radius, a.ground.velocity, b.ground.at, b.ground.radius, b.ground.velocity, this.settings.horizonS)
          : null;
    const [va, vb] = this.plane ? [a.ground?.velocity ?? [0, 0], b.ground?.velocity ?? [0, 0]] : [a.velocity, b.velocity];
    const ages: [number, number] = [a.track.ageFrames, b.track.ageFrames];
    const confident = a.plausible && b.plausible && Math.min(...ages) >= this.settings.minTrackAgeFrames && approach !== null;
    return {
      track_ids: [a.track.trackId, b.track.trackId],
      classes: [a.track.className, b.track.className],
      kind,
      ttc_s: confident ? nullableRound(approach!.touchS) : null,
      closing_speed: round2(approach?.closingSpeed ?? 0),
      min_separation: round2(approach?.minSeparation ?? boxGap(a.track.box, b.track.box)),
      min_separation_in_s: round2(approach?.minSeparationInS ?? 0),
      pet_s: null,
      speeds: [round2(Math.hypot(...va)), round2(Math.hypot(...vb))],
      speed_difference: round2(Math.hypot(vb[0] - va[0], vb[1] - va[1])),
      track_age_frames: ages,
      confident,
    };
  }
}

/** A line's slope must be this many standard errors from zero to be motion rather than scatter. */
const MIN_MOTION_SIGNIFICANCE = 3;

/** Least-squares line through (t, x, y): the displacement it makes over the span, and its slope over its standard error. */
function lineFit(points: readonly (readonly [number, number, number])[]): { velocity: [number, number]; displacement: number; significance: number } | null {
  const n = points.length;
  if (n < 2) return null;
  const mean = (index: 0 | 1 | 2) => points.reduce((sum, point) => sum + point[index], 0) / n;
  const [mt, mx, my] = [mean(0), mean(1), mean(2)];
  const stt = points.reduce((sum, [t]) => sum + (t - mt) ** 2, 0);
  if (stt === 0) return null;
  const [vx, vy] = [points.reduce((sum, [t, x]) => sum + (t - mt) * (x - mx), 0) / stt, points.reduce((sum, [t, , y]) => sum + (t - mt) * (y - my), 0) / stt];
  const span = points[n - 1]![0] - points[0]![0];
  const speed = Math.hypot(vx, vy);
  if (n < 3) return { velocity: [vx, vy], displacement: speed * span, significance: Infinity };
  const residual = points.reduce((sum, [t, x, y]) => sum + (x - mx - vx * (t - mt)) ** 2 + (y - my - vy * (t - mt)) ** 2, 0);
  const standardError = Math.sqrt(residual / (2 * (n - 2)) / stt);
  return { velocity: [vx, vy], displacement: speed * span, significance: standardError === 0 ? Infinity : speed / standardError };
}

function pairKey(a: number, b: number): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}

function nullableRound(value: number | null): number | null {
  return value === null ? null : round2(value);
}
