// Test clips made with ffmpeg: from still photos, so benchmarks and tests need no video file of their own, and
// from a video re-encoded the way OPERATIONS asks cameras to be set up.
import { execFile } from 'node:child_process';
import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface SampleVideoOptions {
  ffmpegPath: string;
  imagesFolder: string;
  outFile: string;
  width: number;
  height: number;
  /** Frame rate of the clip. */
  fps: number;
  /**
   * Seconds each photo is shown (default 1, still). Longer scenes pan a window across the photo, so road users
   * move past the camera as they do in a street and the tracker sees speed.
   */
  sceneS?: number;
  /** Frames from one key frame to the next, like a camera encoder's GOP, and no B-frames, as cameras send (null: the encoder chooses). */
  gop?: number | null;
  /** The photos are repeated (without encoding again) until the clip is at least this long. */
  minDurationS?: number;
}

const run = promisify(execFile);

/** Each photo (jpg, in name order) becomes `sceneS` seconds of H.264 video of width × height. */
export async function makeSampleVideo(options: SampleVideoOptions): Promise<string> {
  const { width: w, height: h, gop = null, sceneS = 1 } = options;
  const gopArgs = gop === null ? [] : ['-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0', '-bf', '0'];
  const encode = ['-r', String(options.fps), ...gopArgs, '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', options.outFile];
  if (sceneS === 1) {
    await run(options.ffmpegPath, [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-framerate', '1', '-pattern_type', 'glob', '-i', join(options.imagesFolder, '*.jpg'),
      '-vf', `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2`, ...encode,
    ]);
  } else {
    const photos = readdirSync(options.imagesFolder).filter((name) => /\.jpe?g$/i.test(name)).sort();
    const inputs = photos.flatMap((name) => ['-loop', '1', '-framerate', String(options.fps), '-t', String(sceneS), '-i', join(options.imagesFolder, name)]);
    // A window of the clip's size pans across each photo scaled a quarter larger than it.
    const [sw, sh] = [Math.round((w * 1.25) / 2) * 2, Math.round((h * 1.25) / 2) * 2];
    const scenes = photos.map((_, i) => `[${i}:v]scale=${sw}:${sh}:force_original_aspect_ratio=increase,crop=${w}:${h}:x='(iw-${w})*t/${sceneS}':y='(ih-${h})/2',setsar=1[s${i}]`);
    const graph = `${scenes.join(';')};${photos.map((_, i) => `[s${i}]`).join('')}concat=n=${photos.length}:v=1:a=0[v]`;
    await run(options.ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', ...inputs, '-filter_complex', graph, '-map', '[v]', ...encode]);
  }
  const cycleS = await durationS(options.ffmpegPath, options.outFile);
  const loops = Math.ceil((options.minDurationS ?? 0) / cycleS) - 1;
  if (loops > 0) {
    const once = `${options.outFile}.once.mp4`;
    renameSync(options.outFile, once);
    await run(options.ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', '-stream_loop', String(loops), '-i', once, '-c', 'copy', options.outFile]);
  }
  return options.outFile;
}

/**
 * The video with a key frame every `keyFrameIntervalS` and no B-frames, at its own size and frame rate: a camera
 * whose encoder is set up as docs/OPERATIONS.md asks. A longer GOP makes the detection host decode every frame.
 */
export async function withKeyFrameInterval(ffmpegPath: string, inFile: string, outFile: string, keyFrameIntervalS: number): Promise<string> {
  await run(ffmpegPath, [
    '-hide_banner', '-loglevel', 'error', '-y', '-i', inFile, '-an',
    '-force_key_frames', `expr:gte(t,n_forced*${keyFrameIntervalS})`, '-sc_threshold', '0', '-bf', '0',
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', outFile,
  ]);
  return outFile;
}

/** A clip's duration as ffmpeg reads it (ffmpeg prints it on stderr when given no output). */
async function durationS(ffmpegPath: string, file: string): Promise<number> {
  const output = await run(ffmpegPath, ['-hide_banner', '-i', file]).catch((error: { stderr?: string }) => ({ stderr: error.stderr ?? '' }));
  const match = /Duration: (\d+):(\d+):([\d.]+)/.exec(output.stderr);
  if (match === null) throw new Error(`cannot read the duration of ${file}`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}
