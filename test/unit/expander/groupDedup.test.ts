import { describe, expect, it } from 'vitest';
import type { GroupFeatures } from '../../../backend/contracts/index.js';
import { parkedCars } from '../../support/messageFixtures.js';
import { GroupDedup } from '../../../backend/expander/groupDedup.js';

const settings = { windowMs: 30_000, regionIou: 0.7, distanceChange: 0.25, ttcThresholdS: 1.5 };
const group = (overrides: Partial<GroupFeatures> = {}): GroupFeatures =>
  parkedCars({ members_by_class: { person: 1, car: 1 }, region: [100, 100, 300, 300], min_person_vehicle_distance_px: 50, density: 0.3, mean_speed_px_s: 10, stationary: false, ...overrides });

describe('expander > groupDedup', () => {
  it('drops the same situation seen again under new track ids within the window, per camera', () => {
    const dedup = new GroupDedup(settings);
    expect(dedup.isDuplicate('cam-1', group(), 0)).toBe(false);
    expect(dedup.isDuplicate('cam-1', group({ group_id: 'g-7-9', track_ids: [7, 9], region: [105, 100, 305, 300] }), 5000)).toBe(true);
    expect(dedup.isDuplicate('cam-2', group(), 5000)).toBe(false);
    expect(dedup.isDuplicate('cam-1', group(), 31_000)).toBe(false);
  });

  it('keeps a group whose members, place, motion or person–vehicle gap differ', () => {
    const dedup = new GroupDedup(settings);
    dedup.isDuplicate('cam-1', group(), 0);
    expect(dedup.isDuplicate('cam-1', group({ members_by_class: { person: 2, car: 1 } }), 1000)).toBe(false);
    expect(dedup.isDuplicate('cam-1', group({ region: [400, 100, 600, 300] }), 1000)).toBe(false);
    expect(dedup.isDuplicate('cam-1', group({ min_person_vehicle_distance_px: 10 }), 1000)).toBe(false);
    expect(dedup.isDuplicate('cam-1', group({ stationary: true }), 1000)).toBe(false);
    // The same people and cars on a collision course now: a new situation; a TTC still above the threshold is not.
    expect(dedup.isDuplicate('cam-1', group({ min_ttc_s: 3 }), 1000)).toBe(true);
    expect(dedup.isDuplicate('cam-1', group({ min_ttc_s: 1.2 }), 1000)).toBe(false);
  });

  it('is not silenced by one frame stamped far in the future (a wrong camera clock)', () => {
    const dedup = new GroupDedup(settings);
    expect(dedup.isDuplicate('cam-1', group(), 100 * 365 * 86_400_000)).toBe(false);
    expect(dedup.isDuplicate('cam-1', group(), 1000)).toBe(false);
    expect(dedup.isDuplicate('cam-1', group(), 2000)).toBe(true);
  });

  it('forgets cameras that stopped sending', () => {
    const dedup = new GroupDedup(settings);
    for (let i = 0; i < 999; i++) dedup.isDuplicate(`cam-${i}`, group(), 0);
    dedup.isDuplicate('cam-new', group(), 60_000);
    expect(dedup.cameraCount).toBe(1);
  });

  it('is off with a zero window', () => {
    const dedup = new GroupDedup({ ...settings, windowMs: 0 });
    expect([dedup.isDuplicate('c', group(), 0), dedup.isDuplicate('c', group(), 0)]).toEqual([false, false]);
  });
});
