// A test clip made with ffmpeg from still photos, so benchmarks and tests need no video file of their own.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface SampleVideoOptions {
  ffmpegPath: string;
  imagesFolder: string;
  outFile: string;
  width: number;
  height: number;
  /** Frame rate of the clip; each photo is shown for one second. */
  fps: number;
}

/** Each photo (jpg, in name order) becomes one second of H.264 video, letterboxed to width × height. */
export async function makeSampleVideo(options: SampleVideoOptions): Promise<string> {
  const { width: w, height: h } = options;
  await promisify(execFile)(options.ffmpegPath, [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-framerate', '1', '-pattern_type', 'glob', '-i', join(options.imagesFolder, '*.jpg'),
    '-vf', `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2`,
    '-r', String(options.fps), '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', options.outFile,
  ]);
  return options.outFile;
}
