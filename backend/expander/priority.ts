// Task priority from a group's features: a time to collision at or under the threshold first, then people close
// to moving vehicles, parked vehicles last.
import { TASK_PRIORITY_MAX, type GroupFeatures } from '../contracts/index.js';

export function groupPriority(group: GroupFeatures, ttcThresholdS: number): number {
  if (group.min_ttc_s !== null && group.min_ttc_s <= ttcThresholdS) return TASK_PRIORITY_MAX;
  const [x1, y1, x2, y2] = group.region;
  const regionScale = Math.max(1, Math.sqrt((x2 - x1) * (y2 - y1)));
  const members = Object.values(group.members_by_class).reduce((a, b) => a + b, 0);
  let priority = 1;
  if (!group.stationary) priority += 2;
  const gap = group.min_person_vehicle_distance_px;
  if (gap !== null) {
    // The gap is judged against the group's size: 30 px is close in a distant scene and far in a close-up.
    const closeness = gap / regionScale;
    priority += 2 + (closeness < 0.05 ? 3 : closeness < 0.25 ? 2 : closeness < 0.5 ? 1 : 0);
  }
  if (members >= 4) priority += 1;
  // A conflict on its way, or a near miss just now, outranks any gap: the pair's measures say where it is going.
  if (group.min_ttc_s !== null && group.min_ttc_s <= 2 * ttcThresholdS) priority += 2;
  if (group.min_pet_s !== null && group.min_pet_s <= ttcThresholdS) priority += 2;
  return Math.min(TASK_PRIORITY_MAX, Math.max(0, priority));
}
