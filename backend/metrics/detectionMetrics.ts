// Prometheus metrics of the detection and expander roles, from their events and camera statuses.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DetectionStage } from '../detection/detectionStage.js';
import type { SourceState } from '../detection/sources/frameSource.js';
import type { Expander } from '../expander/expanderStage.js';

const SOURCE_STATES: readonly SourceState[] = ['starting', 'live', 'reconnecting', 'failed', 'ended', 'stopped'];
const MS_BUCKETS = [5, 10, 20, 35, 50, 75, 100, 150, 250, 500, 1000, 2000, 5000];

export function registerDetectionMetrics(stage: DetectionStage, registry: Registry): void {
  const statuses = () => Object.entries(stage.cameraStatuses());
  new Gauge({
    name: 'camera_state',
    help: '1 for the state each camera source is in (starting, live, reconnecting, failed, ended, stopped)',
    labelNames: ['camera', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [camera, status] of statuses()) for (const state of SOURCE_STATES) this.set({ camera, state }, status.state === state ? 1 : 0);
    },
  });
  new Gauge({
    name: 'camera_frames_skipped',
    help: 'Frames dropped since start because detection had not taken the previous frame of the camera',
    labelNames: ['camera'],
    registers: [registry],
    collect() {
      for (const [camera, status] of statuses()) this.set({ camera }, status.framesSkipped);
    },
  });
  new Gauge({
    name: 'camera_source_restarts',
    help: 'Times the camera decoder was restarted since start',
    labelNames: ['camera'],
    registers: [registry],
    collect() {
      for (const [camera, status] of statuses()) this.set({ camera }, status.restarts);
    },
  });
  new Gauge({
    name: 'camera_decodes_every_frame',
    help: '1 when the camera decodes every frame (asked for, or its key frames come too rarely for its fps), 0 when key frames only',
    labelNames: ['camera'],
    registers: [registry],
    collect() {
      for (const [camera, status] of statuses()) this.set({ camera }, status.decode === 'all' ? 1 : 0);
    },
  });
  const processed = new Counter({ name: 'camera_frames_processed_total', help: 'Frames detected and published', labelNames: ['camera'], registers: [registry] });
  const failed = new Counter({ name: 'camera_frames_failed_total', help: 'Frames lost between decoder and bus, by error code', labelNames: ['camera', 'code'], registers: [registry] });
  const gated = new Counter({ name: 'camera_frames_gated_total', help: 'Frames motion gating kept from the detector (still scene): neither processed nor skipped', labelNames: ['camera'], registers: [registry] });
  const groups = new Counter({ name: 'detection_groups_published_total', help: 'Groups published (new or materially changed)', labelNames: ['camera'], registers: [registry] });
  const infer = new Histogram({ name: 'detection_inference_ms', help: 'session.run time per frame', buckets: MS_BUCKETS, registers: [registry] });
  const pipeline = new Histogram({ name: 'detection_pipeline_ms', help: 'Time from a frame leaving the decoder to its result being published', buckets: MS_BUCKETS, registers: [registry] });
  // The pipeline's two waits, apart: for the shared detector (behind other cameras' frames) and for the bus.
  const detect = new Histogram({ name: 'detection_detect_ms', help: 'Time from a frame reaching the shared detector to its objects: queueing behind other cameras, letterbox, inference, decode', buckets: MS_BUCKETS, registers: [registry] });
  const publish = new Histogram({ name: 'detection_publish_ms', help: 'Time from a result being encoded to the bus acknowledging it', buckets: MS_BUCKETS, registers: [registry] });
  stage.events.on('frame_processed', (event) => {
    processed.inc({ camera: event.cameraId });
    groups.inc({ camera: event.cameraId }, event.groups);
    infer.observe(event.timing.inferMs);
    pipeline.observe(event.pipelineMs);
    detect.observe(event.timing.detectMs);
    publish.observe(event.timing.publishMs);
  });
  stage.events.on('frame_failed', (event) => failed.inc({ camera: event.cameraId, code: event.code }));
  stage.events.on('frame_gated', (event) => gated.inc({ camera: event.cameraId }));
}

export function registerExpanderMetrics(expander: Expander, registry: Registry): void {
  const tasks = new Counter({ name: 'expander_tasks_total', help: 'Assessment tasks written', registers: [registry] });
  const skipped = new Counter({ name: 'expander_groups_skipped_total', help: 'Groups not tasked, by reason (duplicate, expired)', labelNames: ['reason'], registers: [registry] });
  const cropsDropped = new Counter({ name: 'expander_crops_dropped_total', help: 'Tasks sent without their crop because it would not fit in a message', registers: [registry] });
  expander.events.on('expanded', (event) => {
    tasks.inc(event.tasks);
    skipped.inc({ reason: 'duplicate' }, event.duplicates);
    skipped.inc({ reason: 'expired' }, event.expired);
    cropsDropped.inc(event.cropsDropped);
  });
}
