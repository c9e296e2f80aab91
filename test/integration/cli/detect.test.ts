import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeSampleVideo } from '../../../backend/bench/sampleVideo.js';
import { iou } from '../../../backend/core/boxGeometry.js';
import { bundledFfmpegPath } from '../../../backend/detection/sources/createSource.js';
import { join } from 'node:path';
import { repoRoot, runTcr } from '../../support/runTcr.js';
import { EXPECTED, image, imagesFolder, modelPath, sharedData } from '../../support/sharedData.js';
import { useTempDir } from '../../support/tempDir.js';

interface Printed {
  detections: { class: string; score: number; box: number[] }[];
}

describe('cli > tcr detect (child process)', () => {
  const temp = useTempDir();

  it('prints one JSON object per photo holding every PROVENANCE.md person and vehicle with score ≥ 0.5', async () => {
    for (const [file, { found }] of Object.entries(EXPECTED)) {
      const run = await runTcr(['detect', '--model', modelPath, '--image', image(file), '--json']);
      expect(run.code, run.stderr).toBe(0);
      const printed = JSON.parse(run.stdout) as Printed;
      expect(run.stdout.trim().split('\n')).toHaveLength(1);
      for (const want of found.filter((row) => row.score >= 0.5)) {
        const match = printed.detections.find((d) => d.class === want.class && iou(d.box, want.box) >= 0.5);
        expect(match, `${file}: ${want.class} [${want.box.join(', ')}]`).toBeDefined();
        expect(Object.keys(match!).sort()).toEqual(['box', 'class', 'score']);
      }
    }
  });

  it('exits 1 naming the file when the model is not ONNX, and 1 when the image is not an image', async () => {
    const notModel = temp.write('model.onnx', 'hello');
    const badModel = await runTcr(['detect', '--model', notModel, '--image', image('roadside_motorcycles.jpg')]);
    expect(badModel.code).toBe(1);
    expect(badModel.stderr).toContain(`model_invalid: model file ${notModel} is not a loadable ONNX model`);
    const notImage = temp.write('x.jpg', 'text');
    const badImage = await runTcr(['detect', '--model', modelPath, '--image', notImage]);
    expect(badImage.code).toBe(1);
    expect(badImage.stderr).toContain(`image_invalid: ${notImage} is not a readable image`);
  });

  it('runs a video through detection, tracking and grouping with --source --frames', async () => {
    const video = await makeSampleVideo({ ffmpegPath: bundledFfmpegPath(), imagesFolder, outFile: temp.path('street.mp4'), width: 640, height: 360, fps: 5 });
    const run = await runTcr(['detect', '--model', modelPath, '--source', video, '--frames', '4', '--fps', '4', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const frames = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { width: number; detections: { track_id: number | null }[]; tracks: unknown[] });
    expect(frames).toHaveLength(4);
    expect(frames.every((f) => f.width === 640)).toBe(true);
    expect(frames.some((f) => f.detections.some((d) => d.track_id !== null))).toBe(true);
    expect(run.stderr).toContain('4 frames from');
  });

  it('gives finite times to collision on real footage only to moving pairs with tracks a few frames old', async () => {
    type Printed = { groups: { calibrated: boolean; conflicts: { ttc_s: number | null; confident: boolean; track_age_frames: [number, number]; speeds: [number, number] }[] }[] };
    const pairs: Printed['groups'][number]['conflicts'] = [];
    for (const source of [join(repoRoot, 'resources/demo/street-demo.mp4'), join(sharedData, 'video/car-detection.mp4')]) {
      const run = await runTcr(['detect', '--model', modelPath, '--source', source, '--frames', '12', '--fps', '4', '--json'], {}, 90_000);
      expect(run.code, run.stderr).toBe(0);
      const groups = run.stdout.trim().split('\n').flatMap((line) => (JSON.parse(line) as Printed).groups);
      expect(groups.every((group) => group.calibrated === false)).toBe(true);
      pairs.push(...groups.flatMap((group) => group.conflicts));
    }
    expect(pairs.length).toBeGreaterThan(0);
    for (const pair of pairs.filter((candidate) => candidate.ttc_s !== null)) {
      expect(pair.confident).toBe(true);
      expect(Math.min(...pair.track_age_frames)).toBeGreaterThanOrEqual(3);
      expect(Math.max(...pair.speeds)).toBeGreaterThan(0);
    }
    // A pair with a track younger than that has no time to collision, whatever its boxes do.
    expect(pairs.filter((pair) => Math.min(...pair.track_age_frames) < 3).every((pair) => pair.ttc_s === null)).toBe(true);
  }, 200_000);

  it('exits 2 when given neither --image nor --source', async () => {
    const run = await runTcr(['detect', '--model', modelPath]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('give exactly one of --image and --source');
  });

  it('exits 1 with the reason when a source delivers nothing', async () => {
    const run = await runTcr(['detect', '--model', modelPath, '--source', 'rtsp://user:pw-secret@127.0.0.1:1/x', '--frames', '1', '--timeout', '3']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/0 frames from rtsp:\/\/\*\*\*@127\.0\.0\.1:1\/x; source reconnecting/);
    expect(run.stderr).not.toContain('pw-secret');
  });
});

describe('cli > tcr bench detection (smoke: the command runs and writes its figures)', () => {
  const temp = useTempDir();

  it('writes every figure the issue names', async () => {
    const out = temp.path('out.json');
    const run = await runTcr(['bench', 'detection', '--model', modelPath, '--cameras', '2', '--fps', '1', '--duration', '3', '--warmup', '1', '--video-width', '640', '--video-fps', '2', '--gop', '2', '--scene', '1', '--json', out], {}, 90_000);
    expect(run.code, run.stderr).toBe(0);
    const figures = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    for (const field of ['cameras', 'fps_target', 'frames_processed', 'frames_skipped', 'infer_ms_p50', 'pipeline_ms_p50', 'cpu_ms_per_frame', 'infer_cpu_ms_per_frame', 'cores_detection', 'cores_ffmpeg', 'steps_ms_mean']) {
      expect(figures).toHaveProperty(field);
    }
    expect(figures.cameras).toBe(2);
    // A 1-s GOP at 1 fps: every camera decodes key frames only.
    expect(figures.cameras_decoding_key_frames).toBe(2);
    expect(Number(figures.cpu_ms_per_frame)).toBeGreaterThan(Number(figures.infer_cpu_ms_per_frame));
    expect(Number(figures.frames_processed)).toBeGreaterThan(0);
    expect(Number(figures.infer_ms_p50)).toBeGreaterThan(0);
  });
});
