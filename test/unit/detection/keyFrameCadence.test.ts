import { describe, expect, it } from 'vitest';
import { KeyFrameCadence } from '../../../backend/detection/sources/keyFrameCadence.js';

/** Feeds frames at the given times (ms); returns the first reason given, with the frame index it came at. */
function firstVerdict(cadence: KeyFrameCadence, times: number[]): { at: number; why: string } | null {
  for (const [index, time] of times.entries()) {
    const why = cadence.frame(time);
    if (why !== null) return { at: index, why };
  }
  return null;
}

describe('detection > sources > keyFrameCadence', () => {
  it('accepts key frames one interval apart, with the jitter of a live stream', () => {
    const times = Array.from({ length: 30 }, (_, i) => i * 1000 + (i % 3) * 120);
    expect(firstVerdict(new KeyFrameCadence(1000), times)).toBeNull();
  });

  it('gives up on key frames after two gaps of a long GOP, and names it', () => {
    expect(firstVerdict(new KeyFrameCadence(1000), [0, 4000, 8000])).toEqual({ at: 2, why: 'key frames every 4.0 s, the camera samples every 1.0 s: decoding every frame' });
  });

  it('is not fooled by a loaded machine delivering late and catching up in a burst', () => {
    // Frames due every second arrive 4 s late once, then three together.
    expect(firstVerdict(new KeyFrameCadence(1000), [0, 1000, 2000, 6000, 6010, 6020, 6030, 7000, 8000, 9000, 10_000])).toBeNull();
  });

  it('gives up when the average gap is too long though no single gap is (a 2-s GOP at 1 fps, pairs every 1.7 s)', () => {
    expect(firstVerdict(new KeyFrameCadence(1000), [0, 2000, 4000, 6000, 8000, 10_000])).toMatchObject({ at: 5, why: expect.stringMatching(/every 2\.0 s on average/) });
    expect(firstVerdict(new KeyFrameCadence(1000), [0, 1700, 3400, 5100, 6800, 8500])).toMatchObject({ at: 5 });
  });

  it('tells from the silence alone, before the next key frame comes, and forgets the old decoder on reset', () => {
    const cadence = new KeyFrameCadence(1000);
    cadence.frame(0);
    expect(cadence.silence(5000)).toBeNull();
    expect(cadence.silence(6500)).toMatch(/no key frame for 6\.5 s/);
    cadence.reset();
    expect(cadence.silence(10_000)).toBeNull(); // nothing since the reset: the stall watchdog's business
    expect(cadence.frame(10_000)).toBeNull();
  });
});
