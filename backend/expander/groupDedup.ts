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
}

interface Tasked {
  group: GroupFeatures;
  atMs: number;
}

export class GroupDedup {
  private readonly recent = new Map<string, Tasked[]>();

  constructor(private readonly settings: DedupSettings) {}

  /** True when `group` repeats a recently tasked one; otherwise records it as tasked. */
  isDuplicate(cameraId: string, group: GroupFeatures, atMs: number): boolean {
    if (this.settings.windowMs === 0) return false;
    const kept = (this.recent.get(cameraId) ?? []).filter((entry) => atMs - entry.atMs < this.settings.windowMs);
    const duplicate = kept.some((entry) => this.isSameSituation(entry.group, group));
    if (!duplicate) kept.push({ group, atMs });
    this.recent.set(cameraId, kept);
    return duplicate;
  }

  private isSameSituation(a: GroupFeatures, b: GroupFeatures): boolean {
    if (a.stationary !== b.stationary || !sameCounts(a.members_by_class, b.members_by_class)) return false;
    if (iou(a.region, b.region) < this.settings.regionIou) return false;
    return !gapChanged(a.min_person_vehicle_distance_px, b.min_person_vehicle_distance_px, this.settings.distanceChange);
  }
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}
