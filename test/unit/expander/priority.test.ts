import { describe, expect, it } from 'vitest';
import type { GroupFeatures } from '../../../backend/contracts/index.js';
import { parkedCars } from '../../support/messageFixtures.js';
import { groupPriority } from '../../../backend/expander/priority.js';

const group = (overrides: Partial<GroupFeatures>): GroupFeatures => parkedCars({ region: [0, 0, 400, 400], density: 0.3, ...overrides });

describe('expander > priority', () => {
  it('ranks a person touching a moving car above moving traffic, and moving traffic above parked cars', () => {
    const personAtMovingCar = groupPriority(group({ members_by_class: { person: 1, car: 1 }, min_person_vehicle_distance_px: 5, stationary: false }));
    const personNearParkedCar = groupPriority(group({ members_by_class: { person: 1, car: 1 }, min_person_vehicle_distance_px: 5 }));
    const personFarFromMovingCar = groupPriority(group({ members_by_class: { person: 1, car: 1 }, min_person_vehicle_distance_px: 300, stationary: false }));
    const movingCars = groupPriority(group({ stationary: false }));
    const parkedCars = groupPriority(group({}));
    expect(personAtMovingCar).toBe(8);
    expect(personAtMovingCar).toBeGreaterThan(personNearParkedCar);
    expect(personNearParkedCar).toBeGreaterThan(personFarFromMovingCar);
    expect(personFarFromMovingCar).toBeGreaterThan(movingCars);
    expect(movingCars).toBeGreaterThan(parkedCars);
    expect(parkedCars).toBe(1);
  });

  it('stays within 0–9 for a crowd at a moving bus', () => {
    expect(groupPriority(group({ members_by_class: { person: 6, bus: 1 }, min_person_vehicle_distance_px: 0, stationary: false }))).toBe(9);
  });
});
