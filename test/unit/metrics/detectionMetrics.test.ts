import { EventEmitter } from 'node:events';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { DetectionStage, DetectionStageEvents } from '../../../backend/detection/detectionStage.js';
import type { SourceStatus } from '../../../backend/detection/sources/frameSource.js';
import type { Expander, ExpanderEvents } from '../../../backend/expander/expanderStage.js';
import { registerDetectionMetrics, registerExpanderMetrics } from '../../../backend/metrics/detectionMetrics.js';

const status = (overrides: Partial<SourceStatus>): SourceStatus => ({ state: 'live', decode: 'key_frames', decodeNote: null, reason: null, framesRead: 10, framesSkipped: 0, restarts: 0, lastFrameAtMs: 1, pid: 42, ...overrides });

describe('metrics > detectionMetrics', () => {
  it('exposes camera states, skipped frames, restarts, frame counters and latency histograms', async () => {
    const events = new EventEmitter<DetectionStageEvents>();
    const stage: DetectionStage = {
      events,
      start: () => undefined,
      stop: async () => undefined,
      cameraStatuses: () => ({ 'cam-1': status({ framesSkipped: 3 }), 'cam-2': status({ state: 'failed', restarts: 7, reason: 'Connection refused', decode: 'all', decodeNote: 'key frames 4.0 s apart' }) }),
    };
    const registry = new Registry();
    registerDetectionMetrics(stage, registry);
    const timing = { preprocessMs: 5, inferMs: 22, postprocessMs: 1, detectMs: 28, analyseMs: 0.2, renderMs: 6, crops: 1, cropsFromImage: 0, thumbnail: true, encodeMs: 0.4, publishMs: 2 };
    events.emit('frame_processed', { cameraId: 'cam-1', pipelineMs: 40, timing, detections: 5, groups: 2 });
    events.emit('frame_failed', { cameraId: 'cam-1', code: 'too_large' });
    events.emit('frame_gated', { cameraId: 'cam-1' });
    const text = await registry.metrics();
    expect(text).toMatch(/^camera_state\{camera="cam-2",state="failed"\} 1$/m);
    expect(text).toMatch(/^camera_state\{camera="cam-2",state="live"\} 0$/m);
    expect(text).toMatch(/^camera_frames_skipped\{camera="cam-1"\} 3$/m);
    expect(text).toMatch(/^camera_source_restarts\{camera="cam-2"\} 7$/m);
    expect(text).toMatch(/^camera_decodes_every_frame\{camera="cam-1"\} 0$/m);
    expect(text).toMatch(/^camera_frames_gated_total\{camera="cam-1"\} 1$/m);
    expect(text).toMatch(/^camera_decodes_every_frame\{camera="cam-2"\} 1$/m);
    expect(text).toMatch(/^camera_frames_processed_total\{camera="cam-1"\} 1$/m);
    expect(text).toMatch(/^camera_frames_failed_total\{camera="cam-1",code="too_large"\} 1$/m);
    expect(text).toMatch(/^detection_groups_published_total\{camera="cam-1"\} 2$/m);
    expect(text).toMatch(/^detection_inference_ms_bucket\{le="35"\} 1$/m);
    expect(text).toMatch(/^detection_pipeline_ms_bucket\{le="35"\} 0$/m);
  });

  it('counts expander tasks and the groups it left out, by reason', async () => {
    const events = new EventEmitter<ExpanderEvents>();
    const registry = new Registry();
    registerExpanderMetrics({ events, start: () => Promise.reject(new Error('not used')) } satisfies Expander, registry);
    events.emit('expanded', { cameraId: 'cam-1', tasks: 3, duplicates: 1, expired: 2, cropsDropped: 1 });
    const text = await registry.metrics();
    expect(text).toMatch(/^expander_tasks_total 3$/m);
    expect(text).toMatch(/^expander_groups_skipped_total\{reason="duplicate"\} 1$/m);
    expect(text).toMatch(/^expander_groups_skipped_total\{reason="expired"\} 2$/m);
    expect(text).toMatch(/^expander_crops_dropped_total 1$/m);
  });
});
