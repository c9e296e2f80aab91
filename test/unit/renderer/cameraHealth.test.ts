// The skipped-frames share behind the wall's warning.
import { describe, expect, it } from 'vitest';
import type { CameraView } from '../../../backend/contracts/index.js';
import { HEALTH_WINDOW, skippedShare, withSnapshot } from '../../../renderer/src/state/cameraHealth.js';

const camera = (id: string, read: number | null, skipped: number | null): CameraView => ({ id, name: null, state: 'live', reason: null, last_frame_ms: 1, detections: 0, groups: 0, frames_read: read, frames_skipped: skipped, decode: null, decode_note: null });

describe('renderer > camera health', () => {
  it('gives the share of frames skipped across the window, null before two snapshots or without frames', () => {
    let history = withSnapshot({}, [camera('a', 100, 10)]);
    expect(skippedShare(history.a)).toBeNull();
    history = withSnapshot(history, [camera('a', 120, 15)]);
    expect(skippedShare(history.a)).toBe(0.25);
    history = withSnapshot(history, [camera('a', 120, 15)]);
    expect(skippedShare(history.a)).toBe(0.25);
    expect(skippedShare(withSnapshot(withSnapshot({}, [camera('b', 5, 0)]), [camera('b', 5, 0)]).b)).toBeNull();
  });

  it('keeps a bounded window, forgets cameras gone or decoded elsewhere, and starts again after a backend restart', () => {
    let history = withSnapshot({}, [camera('a', 0, 0)]);
    for (let i = 1; i <= HEALTH_WINDOW + 5; i++) history = withSnapshot(history, [camera('a', i * 10, i)]);
    expect(history.a).toHaveLength(HEALTH_WINDOW);
    expect(skippedShare(history.a)).toBeCloseTo(0.1);
    expect(withSnapshot(history, [camera('b', null, null)])).toEqual({});
    expect(withSnapshot(history, [camera('a', 3, 0)]).a).toEqual([{ read: 3, skipped: 0 }]);
  });
});
