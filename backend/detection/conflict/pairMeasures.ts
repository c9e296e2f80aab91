// The surrogate safety measures of two road users moving at constant velocity: time to collision (when they
// would first touch), closing speed and closest approach; and post-encroachment time from where they have been.
// In the image plane a road user is its box; on a calibrated ground plane a disc around its foot point.
import { boxCenter, boxGap, shiftBox, type Box } from '../../core/boxGeometry.js';
import type { PathSample } from './trackPaths.js';

type Vector = readonly [number, number];

export interface Approach {
  /** When they would first touch within the horizon; 0 when touching now and closing; null otherwise. */
  touchS: number | null;
  /** How fast the distance between their centres shrinks (negative: apart). */
  closingSpeed: number;
  minSeparation: number;
  minSeparationInS: number;
}

const dot = (a: Vector, b: Vector): number => a[0] * b[0] + a[1] * b[1];

function closing(offset: Vector, relative: Vector): number {
  const distance = Math.hypot(offset[0], offset[1]);
  return distance === 0 ? Math.hypot(relative[0], relative[1]) : -dot(offset, relative) / distance;
}

/** When the centres are closest, within [0, horizon]. */
function closestTime(offset: Vector, relative: Vector, horizonS: number): number {
  const speed2 = dot(relative, relative);
  return speed2 === 0 ? 0 : Math.min(horizonS, Math.max(0, -dot(offset, relative) / speed2));
}

/** Times t ≥ 0 at which [b1, b2] + d·t overlaps [a1, a2]. */
function overlapInterval(a1: number, a2: number, b1: number, b2: number, d: number): [number, number] | null {
  if (d === 0) return b1 <= a2 && b2 >= a1 ? [-Infinity, Infinity] : null;
  const [t1, t2] = [(a1 - b2) / d, (a2 - b1) / d];
  return [Math.min(t1, t2), Math.max(t1, t2)];
}

/** Boxes in pixels, velocities in px/s. */
export function boxApproach(a: Box, va: Vector, b: Box, vb: Vector, horizonS: number): Approach {
  const relative: Vector = [vb[0] - va[0], vb[1] - va[1]];
  const [ca, cb] = [boxCenter(a), boxCenter(b)];
  const offset: Vector = [cb[0] - ca[0], cb[1] - ca[1]];
  const closingSpeed = closing(offset, relative);
  const x = overlapInterval(a[0], a[2], b[0], b[2], relative[0]);
  const y = overlapInterval(a[1], a[3], b[1], b[3], relative[1]);
  let touchS: number | null = null;
  if (x && y) {
    const [from, to] = [Math.max(0, x[0], y[0]), Math.min(horizonS, x[1], y[1])];
    if (from <= to && (from > 0 || closingSpeed > 0)) touchS = from;
  }
  if (touchS !== null) return { touchS, closingSpeed, minSeparation: 0, minSeparationInS: touchS };
  const t = closestTime(offset, relative, horizonS);
  const [now, then] = [boxGap(a, b), boxGap(a, shiftBox(b, relative[0] * t, relative[1] * t))];
  return then < now ? { touchS, closingSpeed, minSeparation: then, minSeparationInS: t } : { touchS, closingSpeed, minSeparation: now, minSeparationInS: 0 };
}

/** Discs (centre, radius) in metres, velocities in m/s. */
export function discApproach(a: Vector, ra: number, va: Vector, b: Vector, rb: number, vb: Vector, horizonS: number): Approach {
  const relative: Vector = [vb[0] - va[0], vb[1] - va[1]];
  const offset: Vector = [b[0] - a[0], b[1] - a[1]];
  const closingSpeed = closing(offset, relative);
  const reach = ra + rb;
  const [qa, qb, qc] = [dot(relative, relative), 2 * dot(offset, relative), dot(offset, offset) - reach * reach];
  let touchS: number | null = null;
  if (qc <= 0) touchS = closingSpeed > 0 ? 0 : null;
  else if (qa > 0 && qb * qb - 4 * qa * qc >= 0) {
    const t = (-qb - Math.sqrt(qb * qb - 4 * qa * qc)) / (2 * qa);
    if (t >= 0 && t <= horizonS) touchS = t;
  }
  if (touchS !== null) return { touchS, closingSpeed, minSeparation: 0, minSeparationInS: touchS };
  const t = closestTime(offset, relative, horizonS);
  const gap = Math.hypot(offset[0] + relative[0] * t, offset[1] + relative[1] * t) - reach;
  return { touchS, closingSpeed, minSeparation: Math.max(0, gap), minSeparationInS: t };
}

/**
 * Post-encroachment time: the shortest time between one road user occupying a spot and the other occupying it,
 * counting only spots the first had left when the second came and the second had not reached when the first
 * was there (so two road users standing together have none). `overlap` says whether two samples share a spot.
 */
export function postEncroachment(pathA: readonly PathSample[], pathB: readonly PathSample[], overlap: (a: PathSample, b: PathSample) => boolean): number | null {
  const atTime = (path: readonly PathSample[]): Map<number, PathSample> => new Map(path.map((sample) => [sample.tMs, sample]));
  const [aAt, bAt] = [atTime(pathA), atTime(pathB)];
  const apartAt = (sample: PathSample, other: Map<number, PathSample>, isA: boolean): boolean => {
    const there = other.get(sample.tMs);
    return there === undefined || !(isA ? overlap(sample, there) : overlap(there, sample));
  };
  let best: number | null = null;
  for (const a of pathA) {
    if (!apartAt(a, bAt, true)) continue;
    for (const b of pathB) {
      if (a.tMs === b.tMs || !overlap(a, b) || !apartAt(b, aAt, false)) continue;
      const gapS = Math.abs(b.tMs - a.tMs) / 1000;
      if (best === null || gapS < best) best = gapS;
    }
  }
  return best;
}
