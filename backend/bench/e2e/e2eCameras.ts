// The camera files of an acceptance run, made on the host whose detection process reads them: the clips the cameras
// loop, one file per camera, and the camera_killed fault's taking one away (its file gone, its ffmpeg killed).
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { bundledFfmpegPath } from '../../detection/sources/createSource.js';
import { makeSampleVideo, withKeyFrameInterval } from '../sampleVideo.js';

export interface CameraClips {
  cameras: number;
  /** Videos the cameras loop, besides the clips made from `imagesFolder` (files that do not exist are left out). */
  videos: string[];
  imagesFolder: string;
}

export function cameraId(index: number): string {
  return `e2e-${String(index + 1).padStart(3, '0')}`;
}

/**
 * The clips the cameras loop, cameras dealt over them in turn: the given videos and two panned clips of the
 * photos, all with a 1-s GOP as docs/OPERATIONS.md asks of a site's cameras. The bundled videos come with 4.8-
 * and 6-s GOPs: looped as they are, half the cameras decode every frame (docs/ACCEPTANCE.md has the cost).
 */
export async function makeCameraFiles(options: CameraClips, dir: string): Promise<string[]> {
  const ffmpegPath = bundledFfmpegPath();
  const videos = options.videos.filter((file) => existsSync(file));
  const clips = await Promise.all(videos.map((file, index) => withKeyFrameInterval(ffmpegPath, file, join(dir, `video-${index + 1}-${basename(file, extname(file))}.mp4`), 1)));
  for (const sceneS of [6, 3]) {
    clips.push(await makeSampleVideo({ ffmpegPath, imagesFolder: options.imagesFolder, outFile: join(dir, `photos-${sceneS}s.mp4`), width: 1280, height: 720, fps: 25, gop: 25, sceneS }));
  }
  const cameras = join(dir, 'cameras');
  mkdirSync(cameras, { recursive: true });
  // One file per camera (a hard link: no copy), so taking one camera's file away leaves the others running.
  return Array.from({ length: options.cameras }, (_, index) => {
    const file = join(cameras, `${cameraId(index)}.mp4`);
    linkSync(clips[index % clips.length]!, file);
    return file;
  });
}

/** Takes the camera's file away and SIGKILLs its decoder (away), or puts the file back; how many ffmpegs were killed. */
export function setCameraAway(file: string, away: boolean): number {
  if (!away) {
    renameSync(`${file}.away`, file);
    return 0;
  }
  renameSync(file, `${file}.away`);
  return killFfmpegReading(file);
}

/** SIGKILLs every ffmpeg whose command line names the file (a camera's decoder); how many it found. */
function killFfmpegReading(file: string): number {
  let killed = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!args[0]?.includes('ffmpeg') || !args.includes(file)) continue;
      process.kill(Number(pid), 'SIGKILL');
      killed++;
    } catch {
      // gone while we looked
    }
  }
  return killed;
}
