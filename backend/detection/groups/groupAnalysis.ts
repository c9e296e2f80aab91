// 群组分析: clusters visible tracks into groups of road users close enough to interact, and describes each group.
import { noConflictMeasures, type GroupFeatures } from '../../contracts/index.js';
import { boxArea, boxGap, boxScale, unionBox, type Box } from '../../core/boxGeometry.js';
import type { ConflictMeasures } from '../conflict/conflictAnalysis.js';

/** What the conflict measures add to grouping: road users on a collision course belong together, however far apart. */
export interface GroupConflicts {
  onCourse(a: TrackState, b: TrackState): boolean;
  measure(members: readonly TrackState[]): ConflictMeasures;
}

const UNMEASURED: GroupConflicts = { onCourse: () => false, measure: noConflictMeasures };
import type { TrackState } from '../tracker/tracker.js';

export interface GroupSettings {
  /** Two road users are linked when the gap between their boxes is at most this × their mean size (√area). */
  linkDistanceFactor: number;
  minMembers: number;
  /** A member moving less than this × its size per second counts as still. */
  stationarySpeedFactor: number;
  vehicleClasses: readonly string[];
  personClasses: readonly string[];
}

/** `conflicts`: a camera's ConflictAnalysis, observed for this frame (none: no measures). */
export function findGroups(tracks: readonly TrackState[], settings: GroupSettings, conflicts: GroupConflicts = UNMEASURED): GroupFeatures[] {
  const parent = tracks.map((_, index) => index);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (let i = 0; i < tracks.length; i++) {
    for (let j = i + 1; j < tracks.length; j++) {
      const a = tracks[i]!.box;
      const b = tracks[j]!.box;
      const close = boxGap(a, b) <= settings.linkDistanceFactor * ((boxScale(a) + boxScale(b)) / 2);
      if (close || conflicts.onCourse(tracks[i]!, tracks[j]!)) parent[root(i)] = root(j);
    }
  }
  const clusters = new Map<number, TrackState[]>();
  tracks.forEach((track, index) => clusters.set(root(index), [...(clusters.get(root(index)) ?? []), track]));
  return [...clusters.values()].filter((members) => members.length >= settings.minMembers).map((members) => ({ ...describeGroup(members, settings), ...conflicts.measure(members) }));
}

export function groupIdOf(trackIds: readonly number[]): string {
  return `g-${[...trackIds].sort((a, b) => a - b).join('-')}`.slice(0, 128);
}

function describeGroup(members: readonly TrackState[], settings: GroupSettings): Omit<GroupFeatures, keyof ConflictMeasures> {
  const trackIds = members.map((m) => m.trackId).sort((a, b) => a - b);
  const region = unionBox(members.map((m) => m.box));
  const membersByClass: Record<string, number> = {};
  for (const m of members) membersByClass[m.className] = (membersByClass[m.className] ?? 0) + 1;
  const speeds = members.map((m) => Math.hypot(m.velocityPxS[0], m.velocityPxS[1]));
  const regionArea = boxArea(region);
  return {
    group_id: groupIdOf(trackIds),
    track_ids: trackIds,
    members_by_class: membersByClass,
    region: region.map((v) => Math.round(v * 10) / 10) as Box,
    min_person_vehicle_distance_px: minPersonVehicleGap(members, settings),
    density: regionArea === 0 ? 0 : round(members.reduce((sum, m) => sum + boxArea(m.box), 0) / regionArea),
    mean_speed_px_s: round(speeds.reduce((a, b) => a + b, 0) / speeds.length),
    stationary: members.every((m, i) => speeds[i]! < settings.stationarySpeedFactor * boxScale(m.box)),
  };
}

function minPersonVehicleGap(members: readonly TrackState[], settings: GroupSettings): number | null {
  let best: number | null = null;
  for (const person of members.filter((m) => settings.personClasses.includes(m.className))) {
    for (const vehicle of members.filter((m) => settings.vehicleClasses.includes(m.className))) {
      const gap = boxGap(person.box, vehicle.box);
      if (best === null || gap < best) best = gap;
    }
  }
  return best === null ? null : round(best);
}

const round = (value: number): number => Math.round(value * 100) / 100;
