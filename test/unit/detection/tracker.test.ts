import { describe, expect, it } from 'vitest';
import type { DetectedObject } from '../../../backend/detection/detector/detector.js';
import { Tracker, type TrackerSettings } from '../../../backend/detection/tracker/tracker.js';

const settings: TrackerSettings = { highScore: 0.5, matchIou: 0.3, maxLostMs: 3000, velocitySmoothing: 0.5, sameObjectClasses: [['car', 'truck', 'bus']] };
const obj = (className: string, x: number, y: number, score = 0.9, w = 100, h = 50): DetectedObject => ({ className, score, box: [x, y, x + w, y + h] });

describe('detection > tracker', () => {
  it('keeps one id for a car moving 20 px per 0.5 s and measures 40 px/s', () => {
    const tracker = new Tracker(settings);
    const ids: (number | null)[] = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = tracker.update([obj('car', 100 + 20 * i, 200)], i * 500);
      ids.push(last.objects[0]!.trackId);
    }
    expect(new Set(ids).size).toBe(1);
    expect(last!.visible[0]!.ageFrames).toBe(5);
    expect(last!.visible[0]!.velocityPxS[0]).toBeCloseTo(40, 5);
    expect(last!.visible[0]!.velocityPxS[1]).toBeCloseTo(0, 5);
  });

  it('follows an object across a missed frame by its predicted position, where plain IoU would lose it', () => {
    const tracker = new Tracker(settings);
    const ids = [0, 1, 2].map((i) => tracker.update([obj('car', 50 * i, 0)], i * 1000).objects[0]!.trackId);
    tracker.update([], 3000); // missed
    // 100 px from its last box (IoU 0), exactly where 50 px/s predicts it.
    const after = tracker.update([obj('car', 200, 0)], 4000);
    expect(new Set([...ids, after.objects[0]!.trackId]).size).toBe(1);
  });

  it('keeps two crossing people apart and does not match a person to a car', () => {
    const tracker = new Tracker(settings);
    const first = tracker.update([obj('person', 0, 0, 0.9, 30, 80), obj('car', 200, 0)], 0).objects;
    const second = tracker.update([obj('car', 202, 0), obj('person', 2, 0, 0.9, 30, 80)], 500).objects;
    expect(second.find((o) => o.className === 'car')!.trackId).toBe(first.find((o) => o.className === 'car')!.trackId);
    expect(second.find((o) => o.className === 'person')!.trackId).toBe(first.find((o) => o.className === 'person')!.trackId);
  });

  it('lets a car read as a truck keep its track, and a weak detection extend but not start a track', () => {
    const tracker = new Tracker(settings);
    const id = tracker.update([obj('car', 0, 0)], 0).objects[0]!.trackId;
    expect(tracker.update([obj('truck', 2, 0)], 500).objects[0]!.trackId).toBe(id);
    expect(tracker.update([obj('truck', 4, 0, 0.35)], 1000).objects[0]!.trackId).toBe(id);
    expect(tracker.update([obj('person', 500, 0, 0.35)], 1500).objects.find((o) => o.className === 'person')!.trackId).toBeNull();
  });

  it('drops a track unseen for longer than maxLostMs, so a return is a new object', () => {
    const tracker = new Tracker(settings);
    const id = tracker.update([obj('car', 0, 0)], 0).objects[0]!.trackId;
    expect(tracker.update([], 2000).visible).toEqual([]);
    expect(tracker.update([obj('car', 0, 0)], 2500).objects[0]!.trackId).toBe(id); // within 3 s: same track
    tracker.update([], 4000);
    expect(tracker.update([obj('car', 0, 0)], 6000).objects[0]!.trackId).not.toBe(id); // 3.5 s unseen
  });
});
