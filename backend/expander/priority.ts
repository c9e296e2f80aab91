// Task priority from a group's features: people close to moving vehicles first, parked vehicles last.
import { TASK_PRIORITY_MAX, type GroupFeatures } from '../contracts/index.js';

export function groupPriority(group: GroupFeatures): number {
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
  return Math.min(TASK_PRIORITY_MAX, Math.max(0, priority));
}
