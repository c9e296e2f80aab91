import { describe, expect, it } from 'vitest';
import { ffmpegArgs, streamKindOf } from '../../../backend/detection/sources/ffmpegArgs.js';

const base = { fps: 2, width: null, fitSize: 416, decode: 'all', loop: false, ioTimeoutMs: 5000 } as const;

describe('detection > sources > ffmpegArgs', () => {
  it('tells streams from files by scheme', () => {
    expect(['rtsp://h/s', 'RTSPS://h/s', 'http://h/m.mjpg', 'https://h/x.m3u8', '/v/a.mp4', 'C:\\v\\a.mp4'].map(streamKindOf)).toEqual(['rtsp', 'rtsp', 'http', 'http', 'file', 'file']);
  });

  it('samples and scales in ffmpeg: the detection image as PPM on stdout, the full picture as pgmyuv on fd 3', () => {
    const args = ffmpegArgs({ ...base, url: 'rtsp://cam/s', width: 640 });
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).toBe('[0:v]fps=2,scale=640:-2,crop=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p,split=2[picture][fit];[fit]scale=w=416:h=416:force_original_aspect_ratio=decrease:flags=area,format=rgb24[image]');
    expect(args.slice(args.indexOf('[image]') - 1)).toEqual(['-map', '[image]', '-vsync', '0', '-f', 'image2pipe', '-vcodec', 'ppm', 'pipe:1', '-map', '[picture]', '-vsync', '0', '-f', 'image2pipe', '-vcodec', 'pgmyuv', 'pipe:3']);
    expect(args).not.toContain('-skip_frame');
  });

  it('decodes key frames only when asked, thinned to the camera fps by their timestamps', () => {
    const args = ffmpegArgs({ ...base, url: 'rtsp://cam/s', fps: 0.5, decode: 'key_frames' });
    expect(args.slice(0, args.indexOf('-i'))).toEqual(expect.arrayContaining(['-skip_frame', 'nokey', '-skip_loop_filter', 'all', '-threads', '1']));
    expect(args[args.indexOf('-filter_complex') + 1]).toMatch(/^\[0:v\]select='isnan\(prev_selected_t\)\+gte\(t-prev_selected_t\\,1\.8\)',crop=/);
  });

  it('gives network sources a socket timeout and reads files at their own pace, looping when asked', () => {
    expect(ffmpegArgs({ ...base, url: 'rtsp://cam/s' })).toEqual(expect.arrayContaining(['-rtsp_transport', 'tcp', '-stimeout', '5000000']));
    expect(ffmpegArgs({ ...base, url: 'http://cam/m.mjpg' })).toEqual(expect.arrayContaining(['-rw_timeout', '5000000']));
    const looping = ffmpegArgs({ ...base, url: '/v/a.mp4', loop: true });
    expect(looping.slice(0, looping.indexOf('-i'))).toEqual(expect.arrayContaining(['-stream_loop', '-1']));
    expect(looping[looping.indexOf('-filter_complex') + 1]).toMatch(/^\[0:v\]realtime=limit=60,fps=2,/);
    expect(ffmpegArgs({ ...base, url: '/v/a.mp4' })).not.toContain('-stream_loop');
    expect(ffmpegArgs({ ...base, url: 'rtsp://cam/s' }).join(' ')).not.toContain('realtime');
  });
});
