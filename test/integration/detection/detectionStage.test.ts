import { copyFileSync, mkdirSync } from 'node:fs';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bus } from '../../../backend/bus/bus.js';
import { createEmbeddedBus } from '../../../backend/bus/embedded/embeddedBus.js';
import { MESSAGE_SCHEMAS, type AssessmentTaskMessage, type DetectionResultMessage, createTaskId } from '../../../backend/contracts/index.js';
import { appConfigSchema } from '../../../backend/config/index.js';
import { createDetector, type Detector } from '../../../backend/detection/detector/detector.js';
import { createDetectionStage } from '../../../backend/detection/detectionStage.js';
import { cameraPipelineSettings, detectorSettings } from '../../../backend/detection/detectionSettings.js';
import { createSource } from '../../../backend/detection/sources/createSource.js';
import { createExpander } from '../../../backend/expander/expanderStage.js';
import { captureLogger, waitFor } from '../../support/busFixtures.js';
import { image, modelPath } from '../../support/sharedData.js';
import { useTempDir } from '../../support/tempDir.js';

const config = appConfigSchema.parse({});
const jpegSize = async (b64: string) => sharp(Buffer.from(b64, 'base64')).metadata();

describe('detection > stage → embedded bus → expander (real model, real SQLite)', () => {
  const temp = useTempDir();
  const open: { bus?: Bus; detector?: Detector } = {};
  afterEach(async () => {
    await open.detector?.close();
    await open.bus?.close();
  });

  it('publishes one contract-valid result per frame with tracks, groups, crops and a thumbnail, and tasks each group once', async () => {
    const folder = temp.path('cam');
    mkdirSync(folder);
    // The crosswalk photo three times: people beside cars, the same tracks in every frame.
    for (const name of ['1.jpg', '2.jpg', '3.jpg']) copyFileSync(image('crosswalk_pedestrians_cars.jpg'), `${folder}/${name}`);
    const { logger } = captureLogger();
    const bus = (open.bus = createEmbeddedBus({ path: temp.path('bus.sqlite'), dlqTopic: 'dlq', retentionMs: 3_600_000, maxBytes: 1 << 30, maxMessageBytes: 1 << 20, logger, pollMs: 50 }));
    const detector = (open.detector = await createDetector(detectorSettings(config.detector, modelPath)));
    const source = createSource({ url: folder, fps: 4, width: null, loop: false, fitSize: 416, ffmpegPath: null });
    const stage = createDetectionStage({
      cameras: [{ id: 'cam-01', source, pipeline: cameraPipelineSettings('cam-01', config) }],
      detector, producer: bus.producer(), topic: 'detection-results', maxMessageBytes: 1 << 20, logger, startSpreadMs: 0,
    });
    const processed: number[] = [];
    stage.events.on('frame_processed', (event) => processed.push(event.pipelineMs));
    stage.start();
    await waitFor(() => source.status().state === 'ended' && processed.length === 3, 20_000, 'three frames');
    await stage.stop();

    const results: DetectionResultMessage[] = [];
    const reader = await bus.subscribe({ group: 'test', topic: 'detection-results', schema: MESSAGE_SCHEMAS.DetectionResultMessage, stage: 'test', handle: async (m) => void results.push(m) });
    await waitFor(() => results.length === 3, 10_000, 'three results');
    await reader.stop();

    const [first, second, third] = results;
    expect(first!.camera_id).toBe('cam-01');
    expect(first!.detections.filter((d) => d.class_name === 'person')).toHaveLength(4);
    expect(first!.tracks.length).toBe(first!.detections.filter((d) => d.track_id !== null).length);
    // Same scene three times: the same track ids, and the (still) groups are published only the first time.
    expect(third!.tracks.map((t) => t.track_id)).toEqual(first!.tracks.map((t) => t.track_id));
    expect(first!.groups.length).toBeGreaterThan(0);
    expect(second!.groups).toEqual([]);
    expect(third!.groups).toEqual([]);
    const group = first!.groups.find((g) => (g.members_by_class.person ?? 0) > 0 && (g.members_by_class.car ?? 0) > 0)!;
    expect(group.min_person_vehicle_distance_px).toBe(0); // the man in the suit stands in front of the silver car
    const crop = await jpegSize(group.crop_jpeg_b64!);
    expect(crop.format).toBe('jpeg');
    expect(Math.max(crop.width!, crop.height!)).toBeLessThanOrEqual(config.detection.crop_max_side);
    expect((await jpegSize(first!.thumbnail_jpeg_b64!)).width).toBe(config.detection.thumbnail_width);

    // The expander turns each published group into one task with a deterministic id.
    const expander = createExpander(bus, { group: 'expander', detectionTopic: 'detection-results', tasksTopic: 'assessment-tasks', taskTtlMs: 3_600_000, maxMessageBytes: 1 << 20, dedup: { windowMs: 30_000, regionIou: 0.7, distanceChange: 0.25, ttcThresholdS: 1.5 }, concurrency: 4, ttcThresholdS: 1.5 });
    const running = await expander.start();
    const tasks: AssessmentTaskMessage[] = [];
    const taskReader = await bus.subscribe({ group: 'test', topic: 'assessment-tasks', schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'test', handle: async (m) => void tasks.push(m) });
    await waitFor(() => tasks.length === first!.groups.length, 10_000, 'tasks');
    await waitFor(async () => (await bus.lag('expander', 'detection-results'))[0]!.lag === 0, 10_000, 'expander caught up');
    await running.stop();
    await taskReader.stop();
    expect(tasks.map((t) => t.task_id).sort()).toEqual(first!.groups.map((g) => createTaskId('cam-01', first!.frame_id, g.group_id)).sort());
    const urgent = tasks.find((t) => t.group_id === group.group_id)!;
    expect(urgent.priority).toBeGreaterThanOrEqual(6);
    expect(urgent.crop_jpeg_b64).toBe(group.crop_jpeg_b64);
    expect(urgent.deadline_ms).toBe(first!.captured_at_ms + 3_600_000);
  });

  it('with motion gating, keeps still frames from the detector, counts them as gated, and keeps the tracks', async () => {
    const folder = temp.path('still');
    mkdirSync(folder);
    // One photo six times at 4 fps: a still scene for 1.5 s; the gate lets one frame a second through.
    for (const name of ['1', '2', '3', '4', '5', '6']) copyFileSync(image('crosswalk_pedestrians_cars.jpg'), `${folder}/${name}.jpg`);
    const { logger } = captureLogger();
    const bus = (open.bus = createEmbeddedBus({ path: temp.path('bus.sqlite'), dlqTopic: 'dlq', retentionMs: 3_600_000, maxBytes: 1 << 30, maxMessageBytes: 1 << 20, logger, pollMs: 50 }));
    const detector = (open.detector = await createDetector(detectorSettings(config.detector, modelPath)));
    const source = createSource({ url: folder, fps: 4, width: null, loop: false, fitSize: 416, ffmpegPath: null });
    const pipeline = cameraPipelineSettings('cam-still', config, null, { threshold: 2, max_skip_ms: 1000 });
    const stage = createDetectionStage({ cameras: [{ id: 'cam-still', source, pipeline }], detector, producer: bus.producer(), topic: 'detection-results', maxMessageBytes: 1 << 20, logger, startSpreadMs: 0 });
    let [processed, gated] = [0, 0];
    stage.events.on('frame_processed', () => processed++);
    stage.events.on('frame_gated', () => gated++);
    stage.start();
    await waitFor(() => source.status().state === 'ended' && processed + gated === 6, 20_000, 'six frames');
    await stage.stop();
    expect(processed).toBe(2);
    expect(gated).toBe(4);
    const results: DetectionResultMessage[] = [];
    const reader = await bus.subscribe({ group: 'test', topic: 'detection-results', schema: MESSAGE_SCHEMAS.DetectionResultMessage, stage: 'test', handle: async (m) => void results.push(m) });
    await waitFor(() => results.length === 2, 10_000, 'two results');
    await reader.stop();
    const [first, second] = results;
    expect(second!.tracks.map((t) => t.track_id)).toEqual(first!.tracks.map((t) => t.track_id));
    // Ages count the frames the detector saw: the second it saw, not the fifth delivered.
    expect(second!.tracks.every((t) => t.age_frames === 1)).toBe(true);
  });
});
