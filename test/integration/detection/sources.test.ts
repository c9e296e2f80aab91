import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSampleVideo } from '../../../backend/bench/sampleVideo.js';
import { bundledFfmpegPath, createSource } from '../../../backend/detection/sources/createSource.js';
import { createFfmpegSource, type FfmpegSourceOptions } from '../../../backend/detection/sources/ffmpegSource.js';
import type { CapturedFrame, FrameSource, SourceStatus } from '../../../backend/detection/sources/frameSource.js';
import { waitFor } from '../../support/busFixtures.js';
import { image, imagesFolder } from '../../support/sharedData.js';

const ffmpegPath = bundledFfmpegPath();
let dir: string;
let video: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tcr-sources-'));
  // 5 photos × 1 s at 5 fps, 640×360, made by the real ffmpeg from the real photos.
  video = await makeSampleVideo({ ffmpegPath, imagesFolder, outFile: join(dir, 'street.mp4'), width: 640, height: 360, fps: 5 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ffmpegSource = (overrides: Partial<FfmpegSourceOptions>): FrameSource =>
  createFfmpegSource({
    url: video, fps: 4, width: null, fitSize: 416, decode: 'all', loop: false, ioTimeoutMs: 2000, ffmpegPath,
    stallTimeoutMs: 5000, restartDelay: { initialDelayMs: 100, maxDelayMs: 400 }, failAfterAttempts: 3, ...overrides,
  });

async function collect(source: FrameSource, count: number): Promise<CapturedFrame[]> {
  const frames: CapturedFrame[] = [];
  while (frames.length < count) {
    const frame = await source.nextFrame();
    if (frame === null) break;
    frames.push(frame);
  }
  return frames;
}

function recordStates(source: FrameSource): SourceStatus[] {
  const states: SourceStatus[] = [];
  source.events.on('state', (status) => states.push(status));
  return states;
}

describe('detection > sources (real ffmpeg)', () => {
  it('samples a video file at the configured fps, scales it with ffmpeg, and ends with the file', async () => {
    const source = ffmpegSource({ width: 320 });
    const states = recordStates(source);
    source.start();
    const frames = await collect(source, 100);
    // 5 s at 4 fps sampled ≈ 20 frames (ffmpeg's fps filter rounds at both ends).
    expect(frames.length).toBeGreaterThanOrEqual(18);
    expect(frames.length).toBeLessThanOrEqual(22);
    expect(new Set(frames.map((f) => `${f.width}x${f.height}`))).toEqual(new Set(['320x180']));
    expect(frames.map((f) => f.sequence)).toEqual(frames.map((_, i) => i + 1));
    // Read at the file's own pace (-re), as a camera would deliver it: about 5 s, not at decoding speed.
    expect(frames.at(-1)!.capturedAtMs - frames[0]!.capturedAtMs).toBeGreaterThan(3500);
    expect(states.map((s) => s.state)).toEqual(['live', 'ended']);
    await source.stop();
  });

  it('restarts a decoder that was killed and keeps counting frames', async () => {
    const source = ffmpegSource({ loop: true });
    const states = recordStates(source);
    source.start();
    await collect(source, 3);
    const firstPid = source.status().pid!;
    process.kill(firstPid, 'SIGKILL');
    await waitFor(() => states.some((s) => s.state === 'reconnecting'), 10_000, 'reconnecting');
    const after = await collect(source, 3);
    expect(after.length).toBe(3);
    const status = source.status();
    expect(status).toMatchObject({ state: 'live', restarts: 1, reason: null });
    expect(status.pid).not.toBe(firstPid);
    expect(states.find((s) => s.state === 'reconnecting')!.reason).toMatch(/SIGKILL/);
    await source.stop();
    expect(source.status().state).toBe('stopped');
    expect(await source.nextFrame()).toBeNull();
  });

  it('shows a camera that never connects as reconnecting, then failed, without its credentials', async () => {
    const source = ffmpegSource({ url: 'rtsp://operator:s3cret-pw@127.0.0.1:1/stream1' });
    const states = recordStates(source);
    source.start();
    await waitFor(() => source.status().state === 'failed', 20_000, 'failed');
    expect(states[0]!.state).toBe('reconnecting');
    const status = source.status();
    expect(status.reason).toMatch(/refused|failed|error/i);
    expect(JSON.stringify(states) + source.url).not.toContain('s3cret-pw');
    expect(status.restarts).toBeGreaterThanOrEqual(3);
    await source.stop();
  });

  it('reports a corrupt file with ffmpeg\'s reason and keeps retrying it', async () => {
    const corrupt = join(dir, 'corrupt.mp4');
    writeFileSync(corrupt, Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251)));
    const source = ffmpegSource({ url: corrupt });
    source.start();
    await waitFor(() => source.status().restarts >= 2, 15_000, 'two restarts');
    expect(source.status().reason).toMatch(/Invalid data/);
    await source.stop();
  });

  it('keeps going when the stream changes frame size mid-way (ffmpeg scales to the size it started with)', async () => {
    const mjpeg = join(dir, 'sizes.mjpeg');
    writeFileSync(mjpeg, '');
    for (let i = 0; i < 10; i++) appendFileSync(mjpeg, readFileSync(image('roadside_motorcycles.jpg')));
    for (let i = 0; i < 10; i++) appendFileSync(mjpeg, readFileSync(image('yolox_dog_bicycle_truck.jpg')));
    const source = ffmpegSource({ url: mjpeg, fps: 10 });
    source.start();
    const frames = await collect(source, 100);
    expect(frames.length).toBeGreaterThanOrEqual(7);
    // The full picture is cropped to even sides (YUV 4:2:0): 500×375 becomes 500×374.
    expect(new Set(frames.map((f) => `${f.width}x${f.height}`))).toEqual(new Set(['500x374']));
    expect(source.status().state).toBe('ended');
  });

  it('plays an image folder in name order at the camera fps, skipping unreadable files', async () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    copyFileSync(image('street_pedestrian_car.jpg'), join(folder, 'a.jpg'));
    writeFileSync(join(folder, 'b.jpg'), 'not an image');
    copyFileSync(image('roadside_motorcycles.jpg'), join(folder, 'c.jpg'));
    const source = createSource({ url: folder, fps: 20, width: null, loop: false, fitSize: 416, ffmpegPath: null });
    source.start();
    const frames = await collect(source, 10);
    expect(frames.map((f) => `${f.width}x${f.height}`)).toEqual(['1280x720', '500x375']);
    expect(source.status().state).toBe('ended');
  });
});

describe('detection > sources > an HTTP MJPEG camera that stops sending mid-stream (real ffmpeg, local server)', () => {
  it('notices the silence, reconnects, and is live again when the camera answers', async () => {
    const { createServer } = await import('node:http');
    const jpeg = readFileSync(image('roadside_motorcycles.jpg'));
    let connections = 0;
    // First connection: a few frames, then silence with the socket held open. Later connections: frames.
    const server = createServer((_req, res) => {
      connections++;
      const stallAfter = connections === 1 ? 4 : Number.POSITIVE_INFINITY;
      res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=frame' });
      let sent = 0;
      const timer = setInterval(() => {
        if (sent >= stallAfter) return;
        res.write(`--frame\r\ncontent-type: image/jpeg\r\ncontent-length: ${jpeg.length}\r\n\r\n`);
        res.write(jpeg);
        res.write('\r\n');
        sent++;
      }, 100);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const source = ffmpegSource({ url: `http://127.0.0.1:${port}/video.mjpg`, fps: 5, ioTimeoutMs: 1500, stallTimeoutMs: 3000 });
    const states = recordStates(source);
    try {
      source.start();
      await collect(source, 2);
      await waitFor(() => states.some((s) => s.state === 'reconnecting'), 15_000, 'the stall to be noticed');
      const frames = await collect(source, 3);
      expect(frames).toHaveLength(3);
      expect(connections).toBeGreaterThanOrEqual(2);
      expect(source.status().state).toBe('live');
      expect(states.find((s) => s.state === 'reconnecting')!.reason).toBeTruthy();
    } finally {
      await source.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
