import { describe, expect, it } from 'vitest';
import { findGroups, type GroupSettings } from '../../../backend/detection/groups/groupAnalysis.js';
import type { TrackState } from '../../../backend/detection/tracker/tracker.js';

const settings: GroupSettings = { linkDistanceFactor: 1, minMembers: 2, stationarySpeedFactor: 0.05, personClasses: ['person'], vehicleClasses: ['car', 'bus', 'truck'] };
let nextId = 1;
const track = (className: string, box: TrackState['box'], velocityPxS: [number, number] = [0, 0]): TrackState => ({ trackId: nextId++, className, box, ageFrames: 3, velocityPxS, lastSeenMs: 0 });

describe('detection > groups > groupAnalysis', () => {
  it('groups a person beside a moving car and measures the gap, region, density and speed', () => {
    const person = track('person', [100, 100, 140, 200]); // 40 × 100, √area 63
    const car = track('car', [170, 120, 370, 220], [30, 40]); // 30 px gap from the person
    const far = track('car', [900, 100, 1100, 200]);
    const [group, ...rest] = findGroups([person, car, far], settings);
    expect(rest).toEqual([]);
    expect(group).toMatchObject({
      track_ids: [person.trackId, car.trackId],
      members_by_class: { person: 1, car: 1 },
      region: [100, 100, 370, 220],
      min_person_vehicle_distance_px: 30,
      mean_speed_px_s: 25,
      stationary: false,
    });
    expect(group!.density).toBeCloseTo((4000 + 20000) / (270 * 120), 2);
    expect(group!.group_id).toBe(`g-${person.trackId}-${car.trackId}`);
  });

  it('links chains: A near B and B near C are one group', () => {
    const a = track('car', [0, 0, 100, 100]);
    const b = track('car', [150, 0, 250, 100]);
    const c = track('car', [300, 0, 400, 100]);
    expect(findGroups([a, b, c], settings).map((g) => g.track_ids)).toEqual([[a.trackId, b.trackId, c.trackId]]);
  });

  it('judges distance relative to size: the same 60 px gap links big vehicles but not small people', () => {
    const bigA = track('bus', [0, 0, 300, 200]);
    const bigB = track('bus', [360, 0, 660, 200]);
    const smallA = track('person', [0, 500, 10, 530]);
    const smallB = track('person', [70, 500, 80, 530]);
    expect(findGroups([bigA, bigB, smallA, smallB], settings).map((g) => g.track_ids)).toEqual([[bigA.trackId, bigB.trackId]]);
  });

  it('marks a group of parked cars stationary and has no person–vehicle gap without a person', () => {
    const [group] = findGroups([track('car', [0, 0, 100, 50], [1, 0]), track('car', [110, 0, 210, 50])], settings);
    expect(group).toMatchObject({ stationary: true, min_person_vehicle_distance_px: null });
  });

  it('does not count a rider on a bicycle as a person next to a vehicle', () => {
    const [group] = findGroups([track('person', [0, 0, 40, 100]), track('bicycle', [0, 50, 50, 120])], settings);
    expect(group!.min_person_vehicle_distance_px).toBeNull();
  });
});
