// The ffmpeg command line for one camera: sampling and scaling in ffmpeg's filters, two pictures per sampled
// frame. stdout: PPM at the detector's input size (all that detection and thumbnails read); fd 3: the full
// picture as pgmyuv (YUV as decoded, no colour conversion), kept only for the crops of emitted groups.
import type { DecodeMode } from './frameSource.js';

export type StreamKind = 'rtsp' | 'http' | 'file';

export function streamKindOf(url: string): StreamKind {
  if (/^rtsps?:\/\//i.test(url)) return 'rtsp';
  if (/^https?:\/\//i.test(url)) return 'http';
  return 'file';
}

export interface FfmpegInput {
  url: string;
  fps: number;
  /** Width of the full picture (height follows the aspect ratio); null keeps the source size. */
  width: number | null;
  /** The detection image fits in a square of this side. */
  fitSize: number;
  decode: DecodeMode;
  /** Restart a file at its end. */
  loop: boolean;
  /** Socket timeout for network sources: a silent camera fails instead of hanging. */
  ioTimeoutMs: number;
}

/** The file descriptor the full pictures are written to. */
export const PICTURE_FD = 3;

export function ffmpegArgs(input: FfmpegInput): string[] {
  const kind = streamKindOf(input.url);
  const timeoutUs = String(input.ioTimeoutMs * 1000);
  const before: string[] = [];
  if (kind === 'rtsp') before.push('-rtsp_transport', 'tcp', '-stimeout', timeoutUs);
  if (kind === 'http') before.push('-rw_timeout', timeoutUs);
  // The decoder drops every frame but key frames before decoding them: the cost of a camera falls to its GOP rate.
  // Their deblocking is skipped too (a sixth of the decode): no later frame is predicted from them here, and
  // the detector sees them shrunk to its input, where block edges do not show (docs/OPERATIONS.md). A stream
  // with B-frames holds each key frame in the decoder until the next one: its frames come one GOP late.
  if (input.decode === 'key_frames') before.push('-skip_frame', 'nokey', '-skip_loop_filter', 'all', '-threads', '1');
  if (kind === 'file' && input.loop) before.push('-stream_loop', '-1');
  // Key frames are taken at most once per interval (a short GOP is thinned), by their own timestamps.
  const sample = input.decode === 'key_frames' ? `select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${round3(0.9 / input.fps)})'` : `fps=${input.fps}`;
  const picture = [...(input.width === null ? [] : [`scale=${input.width}:-2`]), 'crop=trunc(iw/2)*2:trunc(ih/2)*2', 'format=yuv420p'];
  const fit = `scale=w=${input.fitSize}:h=${input.fitSize}:force_original_aspect_ratio=decrease:flags=area,format=rgb24`;
  // A file is played at its own pace, as a camera would deliver it; otherwise ffmpeg races through it. The
  // realtime filter sleeps once per decoded frame; `-re` polled the clock and cost a third more CPU per camera
  // (docs/OPERATIONS.md). Its limit is above any GOP, or a long one would count as a jump in time.
  const pace = kind === 'file' ? ['realtime=limit=60'] : [];
  const graph = `[0:v]${[...pace, sample, ...picture].join(',')},split=2[picture][fit];[fit]${fit}[image]`;
  const pipeOut = (codec: string, fd: number) => ['-vsync', '0', '-f', 'image2pipe', '-vcodec', codec, `pipe:${fd}`];
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error', ...before, '-i', input.url, '-filter_complex', graph,
    '-map', '[image]', ...pipeOut('ppm', 1), '-map', '[picture]', ...pipeOut('pgmyuv', PICTURE_FD),
  ];
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;
