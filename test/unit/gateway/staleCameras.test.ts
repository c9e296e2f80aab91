// Stale cameras on the wall raise camera_down only where no decoder reports the camera's state.
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../backend/alerts/metricSamples.js';
import { staleCameraConditions } from '../../../backend/gateway/staleCameras.js';

const state = (camera: string, value: string): Sample => ({ name: 'camera_state', labels: { camera, state: value, instance: 'detection' }, value: 1 });

describe('gateway > stale cameras', () => {
  const cameras = [
    { id: 'decoded-here', state: 'stale' as const, last_frame_ms: 1_000 },
    { id: 'elsewhere', state: 'stale' as const, last_frame_ms: null },
    { id: 'fresh', state: 'live' as const, last_frame_ms: 5_000 },
  ];

  it('a stale camera whose decoder reports its state is left to that state (and to detection_shortfall)', () => {
    const conditions = staleCameraConditions(cameras, [state('decoded-here', 'live')]);
    expect(conditions).toEqual([{ check: 'camera_down', subject: 'elsewhere', level: 'high', summary: 'camera elsewhere sent no frame since start' }]);
  });

  it('with no decoder reporting, every stale camera is down, and a fresh one is not', () => {
    const conditions = staleCameraConditions(cameras, []);
    expect(conditions.map((condition) => condition.subject)).toEqual(['decoded-here', 'elsewhere']);
    expect(conditions[0]!.summary).toBe(`camera decoded-here sent no frame since ${new Date(1_000).toISOString()}`);
  });
});
