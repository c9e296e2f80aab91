import { describe, expect, it } from 'vitest';
import type { GroupFeatures } from '../../../backend/contracts/index.js';
import { parkedCars } from '../../support/messageFixtures.js';
import { GroupEmitter } from '../../../backend/detection/groups/groupEmitter.js';

const settings = { movingRefreshMs: 10_000, distanceChange: 0.25, forgetAfterMs: 3000, ttcThresholdS: 1.5 };
const group = parkedCars;

/** Feeds one frame per second from `fromMs` to `toMs` inclusive; returns the times at which the group was published. */
function run(emitter: GroupEmitter, features: GroupFeatures, fromMs: number, toMs: number): number[] {
  const published: number[] = [];
  for (let t = fromMs; t <= toMs; t += 1000) if (emitter.select([features], t).length > 0) published.push(t);
  return published;
}

describe('detection > groups > groupEmitter', () => {
  it('publishes a parked group once, however long it stays', () => {
    expect(run(new GroupEmitter(settings), group(), 0, 120_000)).toEqual([0]);
  });

  it('publishes again when a parked group starts moving, and a moving one after each refresh interval', () => {
    const emitter = new GroupEmitter(settings);
    emitter.select([group()], 0);
    expect(run(emitter, group({ stationary: false, mean_speed_px_s: 30 }), 1000, 25_000)).toEqual([1000, 11_000, 21_000]);
  });

  it('publishes when a person and a vehicle close in materially, not on a few pixels of jitter', () => {
    const emitter = new GroupEmitter(settings);
    emitter.select([group({ min_person_vehicle_distance_px: 100 })], 0);
    expect(emitter.select([group({ min_person_vehicle_distance_px: 95 })], 500)).toHaveLength(0);
    expect(emitter.select([group({ min_person_vehicle_distance_px: 40 })], 1000)).toHaveLength(1);
  });

  it('publishes when the time to collision crosses the threshold, either way, and not while it stays on one side', () => {
    const emitter = new GroupEmitter(settings);
    const moving = (ttc: number | null) => group({ stationary: false, mean_speed_px_s: 30, min_ttc_s: ttc });
    emitter.select([moving(4)], 0);
    expect(emitter.select([moving(2.5)], 500)).toHaveLength(0);
    expect(emitter.select([moving(1.2)], 1000)).toHaveLength(1);
    expect(emitter.select([moving(0.8)], 1500)).toHaveLength(0);
    expect(emitter.select([moving(null)], 2000)).toHaveLength(1);
  });

  it('treats a group that left and came back after forgetAfterMs as new', () => {
    const emitter = new GroupEmitter(settings);
    emitter.select([group()], 0);
    emitter.select([], 1000);
    expect(emitter.select([group()], 5000)).toHaveLength(1);
  });
});
