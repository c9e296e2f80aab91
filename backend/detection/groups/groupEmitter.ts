// Decides which groups a frame publishes: new ones and ones that changed materially. A parked, unchanged
// group is published once, not every frame, because repeated alerts on parked vehicles wear operators out.
import type { GroupFeatures } from '../../contracts/index.js';
import { gapChanged } from '../../core/boxGeometry.js';

export interface EmitSettings {
  /** A moving group that has not changed is published again after this long (its risk may have). */
  movingRefreshMs: number;
  /** The person–vehicle gap changing by this fraction is material. */
  distanceChange: number;
  /** Groups not seen for this long are forgotten (a return is a new appearance). */
  forgetAfterMs: number;
  /** A time to collision crossing this (either way) is material. */
  ttcThresholdS: number;
}

interface Emitted {
  features: GroupFeatures;
  emittedAtMs: number;
  seenAtMs: number;
}

export class GroupEmitter {
  private readonly last = new Map<string, Emitted>();

  constructor(private readonly settings: EmitSettings) {}

  select(groups: readonly GroupFeatures[], nowMs: number): GroupFeatures[] {
    for (const [id, entry] of this.last) if (nowMs - entry.seenAtMs > this.settings.forgetAfterMs) this.last.delete(id);
    const emitted: GroupFeatures[] = [];
    for (const group of groups) {
      const previous = this.last.get(group.group_id);
      if (previous) previous.seenAtMs = nowMs;
      if (previous && !this.isMaterialChange(previous, group, nowMs)) continue;
      this.last.set(group.group_id, { features: group, emittedAtMs: nowMs, seenAtMs: nowMs });
      emitted.push(group);
    }
    return emitted;
  }

  private isMaterialChange(previous: Emitted, group: GroupFeatures, nowMs: number): boolean {
    const before = previous.features;
    if (before.stationary !== group.stationary) return true;
    if (this.isSerious(before.min_ttc_s) !== this.isSerious(group.min_ttc_s)) return true;
    if (gapChanged(before.min_person_vehicle_distance_px, group.min_person_vehicle_distance_px, this.settings.distanceChange)) return true;
    return !group.stationary && nowMs - previous.emittedAtMs >= this.settings.movingRefreshMs;
  }

  private isSerious(ttcS: number | null): boolean {
    return ttcS !== null && ttcS <= this.settings.ttcThresholdS;
  }
}
