// The key-frame path against the real ffmpeg, on clips whose GOPs we set: frames come at the camera's fps from
// key frames alone when the GOP allows it, and otherwise the camera falls back to decoding every frame, says
// so in its state, and still delivers its fps.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSampleVideo, withKeyFrameInterval } from '../../../backend/bench/sampleVideo.js';
import { rgbOfRect } from '../../../backend/detection/picture.js';
import { bundledFfmpegPath } from '../../../backend/detection/sources/createSource.js';
import { createFfmpegSource } from '../../../backend/detection/sources/ffmpegSource.js';
import type { CapturedFrame, FrameSource, SourceStatus } from '../../../backend/detection/sources/frameSource.js';
import { repoRoot } from '../../support/runTcr.js';
import { imagesFolder } from '../../support/sharedData.js';

const ffmpegPath = bundledFfmpegPath();
let dir: string;
const clips: Record<'gop1s' | 'gop4s' | 'irregular' | 'demo1s', string> = { gop1s: '', gop4s: '', irregular: '', demo1s: '' };

/** Re-encodes `from` with key frames exactly at `times` (seconds) and no others. */
async function withKeyFramesAt(from: string, to: string, times: number[]): Promise<string> {
  await promisify(execFile)(ffmpegPath, [
    '-hide_banner', '-loglevel', 'error', '-y', '-i', from, '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p',
    '-bf', '0', '-x264-params', 'keyint=1000:min-keyint=1000:scenecut=0', '-force_key_frames', times.join(','), to,
  ]);
  return to;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tcr-keyframes-'));
  const base = { ffmpegPath, imagesFolder, width: 640, height: 360, fps: 10, minDurationS: 16 };
  clips.gop1s = await makeSampleVideo({ ...base, outFile: join(dir, 'gop1s.mp4'), gop: 10 });
  // Photos of 4 s each, encoded in one go: key frames exactly every 4 s (copies of a 5-s clip would put two 1 s apart).
  clips.gop4s = await makeSampleVideo({ ...base, outFile: join(dir, 'gop4s.mp4'), gop: 40, sceneS: 4 });
  // Key frames in pairs half a second apart, every 1.7 s: as often as 1 fps on average, but the ones a 1-fps
  // camera can take (at least 0.9 s apart) are 1.7 s apart.
  const irregular = Array.from({ length: 10 }, (_, i) => [i * 1.7, i * 1.7 + 0.5]).flat();
  // The bundled demo comes with a 6-s GOP; bench e2e's cameras loop it re-encoded to 1 s.
  clips.demo1s = await withKeyFrameInterval(ffmpegPath, join(repoRoot, 'resources/demo/street-demo.mp4'), join(dir, 'demo1s.mp4'), 1);
  clips.irregular = await withKeyFramesAt(clips.gop1s, join(dir, 'irregular.mp4'), irregular.map((t) => t.toFixed(1)).map(Number));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const source = (url: string): FrameSource =>
  createFfmpegSource({
    url, fps: 1, width: null, fitSize: 416, decode: 'auto', loop: false, ioTimeoutMs: 2000, ffmpegPath,
    stallTimeoutMs: 8000, restartDelay: { initialDelayMs: 100, maxDelayMs: 400 }, failAfterAttempts: 3,
  });

/** Frames until `ms` has passed (or the source ends), with every state change. */
async function run(camera: FrameSource, ms: number): Promise<{ frames: CapturedFrame[]; states: SourceStatus[] }> {
  const frames: CapturedFrame[] = [];
  const states: SourceStatus[] = [];
  camera.events.on('state', (status) => states.push(status));
  camera.start();
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const frame = await Promise.race([camera.nextFrame(), new Promise<null>((resolve) => setTimeout(() => resolve(null), deadline - Date.now()))]);
    if (frame === null) break;
    frames.push(frame);
  }
  return { frames, states };
}

const gapsS = (frames: readonly CapturedFrame[]): number[] => frames.slice(1).map((frame, i) => (frame.capturedAtMs - frames[i]!.capturedAtMs) / 1000);

function expectAboutOneSecondApart(frames: readonly CapturedFrame[]): void {
  expect(frames.length).toBeGreaterThanOrEqual(2);
  for (const gap of gapsS(frames)) {
    expect(gap).toBeGreaterThan(0.7);
    expect(gap).toBeLessThan(1.3);
  }
}

describe('detection > sources > key-frame decode (real ffmpeg, known GOPs)', () => {
  it('1-s GOP at 1 fps: key frames only, one frame a second, the full picture beside the fitted image', async () => {
    const camera = source(clips.gop1s);
    try {
      const { frames, states } = await run(camera, 6500);
      expect(frames.length).toBeGreaterThanOrEqual(5);
      expect(frames.length).toBeLessThanOrEqual(8);
      expectAboutOneSecondApart(frames);
      expect(camera.status()).toMatchObject({ decode: 'key_frames', decodeNote: null, state: 'live' });
      expect(states.every((status) => status.decode === 'key_frames')).toBe(true);
      const frame = frames.at(-1)!;
      // The detector's image fits 416 × 416 with the picture's aspect; the picture is the clip's own size.
      expect([frame.width, frame.height, frame.image.width, frame.image.height]).toEqual([640, 360, 416, 234]);
      const picture = frame.picture();
      expect(picture).toMatchObject({ format: 'pgmyuv', width: 640, height: 360 });
      // The picture's colours agree with ffmpeg's own RGB image of the same frame (scaled down).
      const fromPicture = rgbOfRect(picture!, { left: 0, top: 0, width: 640, height: 360 }, 416);
      expect([fromPicture.width, fromPicture.height]).toEqual([416, 234]);
      let difference = 0;
      for (let i = 0; i < fromPicture.data.length; i++) difference += Math.abs(fromPicture.data[i]! - frame.image.data[i]!);
      expect(difference / fromPicture.data.length).toBeLessThan(12);
    } finally {
      await camera.stop();
    }
  });

  it('the demo video (6-s GOP) re-encoded with a key frame each second: key frames only, one frame a second', async () => {
    const camera = source(clips.demo1s);
    try {
      const { frames, states } = await run(camera, 6500);
      expect(frames.length).toBeGreaterThanOrEqual(5);
      expectAboutOneSecondApart(frames);
      expect(camera.status()).toMatchObject({ decode: 'key_frames', decodeNote: null, state: 'live' });
      expect(states.every((status) => status.decode === 'key_frames')).toBe(true);
      expect([frames[0]!.width, frames[0]!.height]).toEqual([1280, 720]);
    } finally {
      await camera.stop();
    }
  });

  it('4-s GOP at 1 fps: falls back to decoding every frame, says why, and delivers one frame a second', async () => {
    const camera = source(clips.gop4s);
    try {
      const { frames, states } = await run(camera, 12_000);
      const status = camera.status();
      expect(status.decode).toBe('all');
      expect(status.decodeNote).toMatch(/key frame.*camera samples every 1\.0 s: decoding every frame/);
      expect(states.some((s) => s.decode === 'all')).toBe(true);
      expect(status.restarts).toBe(0); // a change of decoder, not a failure
      // The first key frame, then the silence gives the long GOP away, then a frame a second from every frame decoded.
      expect(frames.length).toBeGreaterThanOrEqual(5);
      const afterSwitch = frames.slice(-4);
      expectAboutOneSecondApart(afterSwitch);
    } finally {
      await camera.stop();
    }
  });

  it('irregular key frames (pairs every 1.7 s): the average gives it away, and the camera decodes every frame', async () => {
    const camera = source(clips.irregular);
    try {
      const { frames } = await run(camera, 14_000);
      const status = camera.status();
      expect(status.decode).toBe('all');
      expect(status.decodeNote).toMatch(/on average/);
      expectAboutOneSecondApart(frames.slice(-3));
    } finally {
      await camera.stop();
    }
  });
});
