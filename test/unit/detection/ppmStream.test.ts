import { describe, expect, it } from 'vitest';
import { PpmStream, PpmStreamError } from '../../../backend/detection/sources/ppmStream.js';

function ppm(width: number, height: number, fill: number): Buffer {
  return Buffer.concat([Buffer.from(`P6\n${width} ${height}\n255\n`, 'latin1'), Buffer.alloc(width * height * 3, fill)]);
}

describe('detection > sources > ppmStream', () => {
  it('reassembles frames split at any byte and splits frames sharing one chunk', () => {
    const bytes = Buffer.concat([ppm(4, 3, 1), ppm(4, 3, 2), ppm(4, 3, 3)]);
    for (const chunkSize of [1, 7, 13, 50, bytes.length]) {
      const stream = new PpmStream();
      const frames = [];
      for (let at = 0; at < bytes.length; at += chunkSize) frames.push(...stream.push(bytes.subarray(at, at + chunkSize)));
      expect(frames.map((f) => [f.width, f.height, f.data.length, f.data[0]])).toEqual([
        [4, 3, 36, 1],
        [4, 3, 36, 2],
        [4, 3, 36, 3],
      ]);
    }
  });

  it('follows a change of frame size mid-stream', () => {
    const stream = new PpmStream();
    const frames = stream.push(Buffer.concat([ppm(4, 3, 1), ppm(2, 2, 9)]));
    expect(frames.map((f) => `${f.width}x${f.height}`)).toEqual(['4x3', '2x2']);
  });

  it('reads pgmyuv (P5) pictures beside PPM, into buffers the caller gives', () => {
    const pool = [Buffer.alloc(4 * 6)];
    const stream = new PpmStream((bytes) => (pool[0]!.length === bytes ? pool[0]! : Buffer.alloc(bytes)));
    const pgm = Buffer.concat([Buffer.from('P5\n4 6\n255\n', 'latin1'), Buffer.alloc(24, 7)]);
    const [picture] = stream.push(pgm);
    expect(picture).toMatchObject({ magic: 'P5', width: 4, height: 6 });
    expect(picture!.data).toBe(pool[0]);
    expect(picture!.data[23]).toBe(7);
  });

  it('refuses bytes that are not PPM instead of waiting for ever', () => {
    expect(() => new PpmStream().push(Buffer.from('GIF89a not a frame'))).toThrow(PpmStreamError);
    expect(() => new PpmStream().push(Buffer.from('P6\n4 3\n65535\n'))).toThrow(/max value/);
    expect(() => new PpmStream().push(Buffer.from('P6\n99999 99999\n255\n'))).toThrow(/implausible/);
    expect(() => new PpmStream().push(Buffer.from('P6\n0 3\n255\n'))).toThrow(/implausible/);
  });
});
