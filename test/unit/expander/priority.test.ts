import { describe, expect, it } from 'vitest';
import type { GroupFeatures } from '../../../backend/contracts/index.js';
import { parkedCars } from '../../support/messageFixtures.js';
import { groupPriority } from '../../../backend/expander/priority.js';

const group = (overrides: Partial<GroupFeatures>): GroupFeatures => parkedCars({ region: [0, 0, 400, 400], density: 0.3, ...overrides });

describe('expander > priority', () => {
  it('ranks a person touching a moving car above moving traffic, and moving traffic above parked cars', () => {
    const personAtMovingCar = groupPriority(group({ members_by_class: { person: 1, car: 1 }, min_person_vehicle_distance_px: 5, stationary: false }), 1.5);
    const personNearParkedCar = groupPriority(group({ members_by_class: { person: 1, car: 1 }, min_person_vehicle_distance_px: 5 }), 1.5);
    const personFarFromMovingCar = groupPriority(group({ members_by_class: { person: 1, car: 1 }, min_person_vehicle_distance_px: 300, stationary: false }), 1.5);
    const movingCars = groupPriority(group({ stationary: false }), 1.5);
    const parkedCars = groupPriority(group({}), 1.5);
    expect(personAtMovingCar).toBe(8);
    expect(personAtMovingCar).toBeGreaterThan(personNearParkedCar);
    expect(personNearParkedCar).toBeGreaterThan(personFarFromMovingCar);
    expect(personFarFromMovingCar).toBeGreaterThan(movingCars);
    expect(movingCars).toBeGreaterThan(parkedCars);
    expect(parkedCars).toBe(1);
  });

  it('puts a time to collision at or under the threshold first, and a near miss above the same group without one', () => {
    const conflict = { members_by_class: { person: 1, car: 1 }, min_person_vehicle_distance_px: 300, stationary: false };
    expect(groupPriority(group({ ...conflict, min_ttc_s: 1.2 }), 1.5)).toBe(9);
    expect(groupPriority(group({ ...conflict, min_ttc_s: 1.6 }), 1.5)).toBe(groupPriority(group(conflict), 1.5) + 2);
    expect(groupPriority(group({ ...conflict, min_pet_s: 0.8 }), 1.5)).toBe(groupPriority(group(conflict), 1.5) + 2);
    expect(groupPriority(group({ ...conflict, min_ttc_s: 1.6 }), 2)).toBe(9);
  });

  it('stays within 0–9 for a crowd at a moving bus', () => {
    expect(groupPriority(group({ members_by_class: { person: 6, bus: 1 }, min_person_vehicle_distance_px: 0, stationary: false }), 1.5)).toBe(9);
  });
});
