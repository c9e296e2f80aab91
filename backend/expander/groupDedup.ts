// Drops a group that is the same situation as one tasked a moment ago on the same camera (a re-acquired
// track gives a "new" group id for the same people and cars). Judged on event time, so a replay decides alike.
import type { GroupFeatures } from '../contracts/index.js';
import { gapChanged, iou } from '../core/boxGeometry.js';

export interface DedupSettings {
  windowMs: number;
  /** Minimum region IoU for two groups to be the same situation. */
  regionIou: number;
  /** Relative change of the person–vehicle gap that makes it a new situation. */
  distanceChange: number;
  /** A time to collision crossing this (either way) makes it a new situation. */
  ttcThresholdS: number;
}

interface Tasked {
  group: GroupFeatures;
  atMs: number;
}

/** Cameras are swept for stale entries every this many calls, so ids that stop arriving do not pile up. */
const SWEEP_EVERY = 1000;
/** Groups remembered per camera: a flood of groups (200 a frame is valid) must not make each check slower. */
const MAX_PER_CAMERA = 500;

export class GroupDedup {
  private readonly recent = new Map<string, Tasked[]>();
  private calls = 0;

  constructor(private readonly settings: DedupSettings) {}

  /** Cameras with groups remembered (bounded by the sweep). */
  get cameraCount(): number {
    return this.recent.size;
  }

  /** True when `group` repeats a recently tasked one; otherwise records it as tasked. */
  isDuplicate(cameraId: string, group: GroupFeatures, atMs: number): boolean {
    if (this.settings.windowMs === 0) return false;
    if (++this.calls % SWEEP_EVERY === 0) this.sweep(atMs);
    // Both directions: a frame stamped far ahead (a wrong camera clock) must not make every later frame of its
    // camera look like a repeat of it, which a one-sided age test did (a negative age is "inside" the window).
    const kept = (this.recent.get(cameraId) ?? []).filter((entry) => this.isNear(entry, atMs));
    const duplicate = kept.some((entry) => this.isSameSituation(entry.group, group));
    if (!duplicate) kept.push({ group, atMs });
    this.recent.set(cameraId, kept.length > MAX_PER_CAMERA ? kept.slice(-MAX_PER_CAMERA) : kept);
    return duplicate;
  }

  private isNear(entry: Tasked, atMs: number): boolean {
    return Math.abs(atMs - entry.atMs) < this.settings.windowMs;
  }

  private sweep(atMs: number): void {
    for (const [cameraId, entries] of this.recent) {
      const kept = entries.filter((entry) => this.isNear(entry, atMs));
      if (kept.length === 0) this.recent.delete(cameraId);
      else this.recent.set(cameraId, kept);
    }
  }

  private isSameSituation(a: GroupFeatures, b: GroupFeatures): boolean {
    if (a.stationary !== b.stationary || !sameCounts(a.members_by_class, b.members_by_class)) return false;
    if (iou(a.region, b.region) < this.settings.regionIou) return false;
    if (this.isSerious(a.min_ttc_s) !== this.isSerious(b.min_ttc_s)) return false;
    return !gapChanged(a.min_person_vehicle_distance_px, b.min_person_vehicle_distance_px, this.settings.distanceChange);
  }

  private isSerious(ttcS: number | null): boolean {
    return ttcS !== null && ttcS <= this.settings.ttcThresholdS;
  }
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}
