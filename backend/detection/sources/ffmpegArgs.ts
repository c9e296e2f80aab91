// The ffmpeg command line for one camera: sampled fps and scaling in ffmpeg's filters, PPM frames on stdout.

export type StreamKind = 'rtsp' | 'http' | 'file';

export function streamKindOf(url: string): StreamKind {
  if (/^rtsps?:\/\//i.test(url)) return 'rtsp';
  if (/^https?:\/\//i.test(url)) return 'http';
  return 'file';
}

export interface FfmpegInput {
  url: string;
  fps: number;
  /** Output width (height follows the aspect ratio); null keeps the source size. */
  width: number | null;
  /** Restart a file at its end. */
  loop: boolean;
  /** Socket timeout for network sources: a silent camera fails instead of hanging. */
  ioTimeoutMs: number;
}

export function ffmpegArgs(input: FfmpegInput): string[] {
  const kind = streamKindOf(input.url);
  const timeoutUs = String(input.ioTimeoutMs * 1000);
  const before: string[] = [];
  if (kind === 'rtsp') before.push('-rtsp_transport', 'tcp', '-stimeout', timeoutUs);
  if (kind === 'http') before.push('-rw_timeout', timeoutUs);
  // A file is read at its own frame rate, as a camera would deliver it; otherwise ffmpeg races through it.
  if (kind === 'file') before.push('-re', ...(input.loop ? ['-stream_loop', '-1'] : []));
  const filters = [`fps=${input.fps}`, ...(input.width === null ? [] : [`scale=${input.width}:-2`])];
  return ['-hide_banner', '-nostdin', '-loglevel', 'error', ...before, '-i', input.url, '-an', '-sn', '-vf', filters.join(','), '-f', 'image2pipe', '-vcodec', 'ppm', 'pipe:1'];
}
