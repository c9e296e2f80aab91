// Constructed track sequences with known answers, replayed through the live group analysis and conflict measures.
import { describe, expect, it } from 'vitest';
import { appConfigSchema, type Calibration } from '../../../backend/config/index.js';
import type { GroupFeatures } from '../../../backend/contracts/index.js';
import { cameraPipelineSettings } from '../../../backend/detection/detectionSettings.js';
import { TrackReplay, type RecordedFrame } from '../../../backend/detection/groups/trackReplay.js';

type Box = [number, number, number, number];
type Mover = { id: number; cls: string; at: (t: number) => Box };

const moving = (id: number, cls: string, box: Box, [vx, vy]: [number, number]): Mover => ({ id, cls, at: (t) => [box[0] + vx * t, box[1] + vy * t, box[2] + vx * t, box[3] + vy * t] });

function replay(movers: Mover[], { fps = 10, seconds = 4, calibration = null as Calibration | null, config = {} } = {}): { t: number; groups: GroupFeatures[] }[] {
  const replayer = new TrackReplay(cameraPipelineSettings('test', appConfigSchema.parse(config), calibration));
  return Array.from({ length: Math.round(fps * seconds) }, (_, k) => {
    const t = k / fps;
    const frame: RecordedFrame = { t_ms: Math.round(t * 1000), width: 1280, height: 720, tracks: movers.map((m) => ({ track_id: m.id, class: m.cls, box: m.at(t) })) };
    return { t, groups: replayer.frame(frame) };
  });
}

const ttcs = (frames: ReturnType<typeof replay>) => frames.flatMap((frame) => frame.groups.map((group) => group.min_ttc_s)).filter((ttc) => ttc !== null);

describe('detection > conflict measures', () => {
  it('gives two road users approaching head-on their time to contact within 10 %, once their tracks are a few frames old', () => {
    // The car's front edge at 200 + 100 t, the person's near edge at 700 − 20 t: they touch at t = 500 / 120 s.
    const frames = replay([moving(1, 'car', [100, 300, 200, 350], [100, 0]), moving(2, 'person', [700, 280, 730, 360], [-20, 0])]);
    const measured = frames.filter((frame) => frame.groups[0]?.min_ttc_s != null);
    expect(measured.length).toBeGreaterThan(30);
    for (const { t, groups } of measured) {
      const truth = 500 / 120 - t;
      expect(Math.abs(groups[0]!.min_ttc_s! - truth)).toBeLessThanOrEqual(0.1 * truth);
      expect(groups[0]!.min_ttc_pair).toEqual({ track_ids: [1, 2], classes: ['car', 'person'] });
      expect(groups[0]!.calibrated).toBe(false);
    }
    // A track two frames old has no velocity worth a time to collision.
    expect(frames.slice(0, 3).every((frame) => frame.groups.every((group) => group.min_ttc_s === null))).toBe(true);
  });

  it('gives no time to collision to road users moving in parallel', () => {
    const frames = replay([moving(1, 'car', [100, 300, 200, 350], [100, 0]), moving(2, 'person', [150, 380, 180, 460], [100, 0])]);
    expect(frames.some((frame) => frame.groups.length > 0)).toBe(true);
    expect(ttcs(frames)).toEqual([]);
  });

  it('gives no conflict to a parked car and a person standing beside it whose boxes jitter by a few pixels', () => {
    let seed = 11;
    const jitter = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 6;
    const jittering = (id: number, cls: string, box: Box): Mover => ({ id, cls, at: () => box.map((v) => v + jitter()) as Box });
    const frames = replay([jittering(1, 'car', [400, 300, 520, 370]), jittering(2, 'person', [530, 290, 560, 370])], { seconds: 10 });
    expect(frames.every((frame) => frame.groups.length === 1)).toBe(true);
    expect(ttcs(frames)).toEqual([]);
    expect(frames.flatMap((frame) => frame.groups.map((group) => group.min_pet_s)).filter((pet) => pet !== null)).toEqual([]);
  });

  it('gives a pedestrian crossing behind a car after it has passed the post-encroachment time', () => {
    // The car's rear leaves the crossing line x = 500 at t = 1.5 s; the person reaches the lane (y = 300) at 3.25 s.
    const frames = replay([moving(1, 'car', [200, 300, 300, 350], [200, 0]), moving(2, 'person', [480, 120, 500, 170], [0, 40])], { seconds: 6 });
    const pets = frames.flatMap((frame) => frame.groups.map((group) => group.min_pet_s)).filter((pet) => pet !== null);
    expect(pets.length).toBeGreaterThan(0);
    for (const pet of pets) expect(Math.abs(pet - 1.75)).toBeLessThanOrEqual(0.1); // one frame of 0.1 s
    expect(ttcs(frames)).toEqual([]);
  });

  it('does not take a detection jump for a speed', () => {
    // The person's box leaps 230 px in one frame (a mismatched detection) and lands right beside the car.
    const person: Mover = { id: 2, cls: 'person', at: (t) => (t < 1 ? [100, 200, 130, 280] : [330, 280, 360, 360]) };
    const frames = replay([moving(1, 'car', [200, 300, 300, 350], [20, 0]), person], { seconds: 1.3 });
    const pairs = frames.flatMap((frame) => frame.groups.flatMap((group) => group.conflicts)).filter((pair) => pair.speeds[1] > 10 * Math.sqrt(30 * 80));
    expect(pairs.length).toBeGreaterThan(0);
    for (const pair of pairs) expect(pair).toMatchObject({ confident: false, ttc_s: null });
  });

  it('measures in metres and m/s on a calibrated camera', () => {
    // 5 cm per pixel everywhere: the car at 10 m/s, the person at 1 m/s towards it, 25 m between them.
    const calibration: Calibration = { points: null, scale: { metres_per_pixel: 0.05, reference_row: 360, horizon_row: null } };
    const frames = replay([moving(1, 'car', [100, 300, 190, 340], [200, 0]), moving(2, 'person', [690, 300, 700, 340], [-20, 0])], { calibration, seconds: 2 });
    const group = frames[frames.length - 1]!.groups[0]!;
    expect(group.calibrated).toBe(true);
    const pair = group.conflicts[0]!;
    expect(pair.speeds[0]).toBeCloseTo(10, 1);
    expect(pair.speeds[1]).toBeCloseTo(1, 1);
    expect(pair.closing_speed).toBeCloseTo(11, 0);
    // Discs of half the footprint width (car 2.25 m, person 0.25 m) touch when the feet are 2.5 m apart.
    const [car, person] = [145 + 200 * 1.9, 695 - 20 * 1.9];
    expect(group.min_ttc_s!).toBeCloseTo(((person - car) * 0.05 - 2.5) / 11, 1);
  });

  it('pairs no one in a single road user and no rider with their two-wheeler', () => {
    expect(replay([moving(1, 'car', [100, 300, 200, 350], [100, 0])]).every((frame) => frame.groups.length === 0)).toBe(true);
    const rider = replay([moving(1, 'bicycle', [100, 300, 160, 360], [50, 0]), moving(2, 'person', [105, 260, 150, 340], [50, 0])]);
    expect(rider.flatMap((frame) => frame.groups.flatMap((group) => group.conflicts))).toEqual([]);
  });
});
