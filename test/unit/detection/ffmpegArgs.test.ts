import { describe, expect, it } from 'vitest';
import { ffmpegArgs, streamKindOf } from '../../../backend/detection/sources/ffmpegArgs.js';

const base = { fps: 2, width: null, loop: false, ioTimeoutMs: 5000 };

describe('detection > sources > ffmpegArgs', () => {
  it('tells streams from files by scheme', () => {
    expect(['rtsp://h/s', 'RTSPS://h/s', 'http://h/m.mjpg', 'https://h/x.m3u8', '/v/a.mp4', 'C:\\v\\a.mp4'].map(streamKindOf)).toEqual(['rtsp', 'rtsp', 'http', 'http', 'file', 'file']);
  });

  it('samples and scales with ffmpeg filters and writes PPM frames to stdout', () => {
    const args = ffmpegArgs({ ...base, url: 'rtsp://cam/s', width: 640 });
    expect(args.slice(args.indexOf('-vf'), args.indexOf('-vf') + 2)).toEqual(['-vf', 'fps=2,scale=640:-2']);
    expect(args.slice(-5)).toEqual(['-f', 'image2pipe', '-vcodec', 'ppm', 'pipe:1']);
  });

  it('gives network sources a socket timeout and reads files at their own pace, looping when asked', () => {
    expect(ffmpegArgs({ ...base, url: 'rtsp://cam/s' })).toEqual(expect.arrayContaining(['-rtsp_transport', 'tcp', '-stimeout', '5000000']));
    expect(ffmpegArgs({ ...base, url: 'http://cam/m.mjpg' })).toEqual(expect.arrayContaining(['-rw_timeout', '5000000']));
    const looping = ffmpegArgs({ ...base, url: '/v/a.mp4', loop: true });
    expect(looping.slice(0, looping.indexOf('-i'))).toEqual(expect.arrayContaining(['-re', '-stream_loop', '-1']));
    expect(ffmpegArgs({ ...base, url: '/v/a.mp4' })).not.toContain('-stream_loop');
  });
});
