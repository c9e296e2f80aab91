import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../backend/detection/frame.js';
import { MotionGate } from '../../../backend/detection/motionGate.js';
import { Tracker } from '../../../backend/detection/tracker/tracker.js';

/** A 416 × 234 grey image with a bright square at (x, 100). */
function scene(x: number, width = 416): Frame {
  const height = 234;
  const data = Buffer.alloc(width * height * 3, 90);
  for (let y = 100; y < 140; y++) data.fill(230, (y * width + x) * 3, (y * width + x + 60) * 3);
  return { data, width, height };
}

describe('detection > motionGate', () => {
  it('lets the first frame through, keeps still ones from the detector, and lets motion through', () => {
    const gate = new MotionGate({ threshold: 2, maxSkipMs: 5000 });
    expect(gate.needsInference(scene(50), 0)).toBe(true);
    expect(gate.needsInference(scene(50), 1000)).toBe(false);
    expect(gate.needsInference(scene(51), 2000)).toBe(false); // a pixel of jitter is not motion
    expect(gate.needsInference(scene(200), 3000)).toBe(true); // the square moved
    expect(gate.needsInference(scene(200), 4000)).toBe(false); // compared with the last frame inferred
  });

  it('still infers at least every maxSkipMs, and after a change of image size', () => {
    const gate = new MotionGate({ threshold: 2, maxSkipMs: 3000 });
    const verdicts = [0, 1000, 2000, 3000, 4000, 5000, 6000].map((t) => gate.needsInference(scene(50), t));
    expect(verdicts).toEqual([true, false, false, true, false, false, true]);
    expect(gate.needsInference(scene(50, 320), 6500)).toBe(true);
  });
});

describe('detection > tracker > hold (motion gating)', () => {
  it('keeps the tracks of a still scene alive through gated frames without ageing or moving them', () => {
    const tracker = new Tracker({ highScore: 0.5, matchIou: 0.3, maxLostMs: 3000, velocitySmoothing: 0.5, sameObjectClasses: [] });
    const car = { className: 'car', score: 0.9, box: [100, 100, 200, 160] as [number, number, number, number] };
    const first = tracker.update([car], 0);
    // 8 s of still frames, gated: longer than maxLostMs, so without hold the track would be dropped.
    for (let t = 1000; t <= 8000; t += 1000) tracker.hold(t);
    const next = tracker.update([car], 9000);
    expect(next.visible.map((track) => track.trackId)).toEqual(first.visible.map((track) => track.trackId));
    expect(next.visible[0]!.ageFrames).toBe(1); // two frames seen by the detector
    expect(next.visible[0]!.velocityPxS).toEqual([0, 0]);
    // A track already lost when the gating began (track 1) is not revived: the car comes back as a new track.
    const other = new Tracker({ highScore: 0.5, matchIou: 0.3, maxLostMs: 3000, velocitySmoothing: 0.5, sameObjectClasses: [] });
    other.update([car], 0);
    other.update([], 1000);
    other.update([{ ...car, box: [300, 100, 400, 160] }], 2000);
    for (let t = 3000; t <= 6000; t += 1000) other.hold(t);
    expect(other.update([car], 7000).visible.map((track) => track.trackId)).toEqual([3]);
  });
});
