// Splits ffmpeg's `-f image2pipe -vcodec ppm` output into frames. PPM carries its own size, so a
// camera that changes resolution mid-stream needs nothing special.
import { BugError } from '../../core/errors.js';
import type { Frame } from '../frame.js';

const HEADER = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/;
/** Longer than any header ffmpeg writes ("P6\n99999 99999\n255\n"); more without a match is garbage. */
const MAX_HEADER_BYTES = 64;

export class PpmStreamError extends Error {}

export class PpmStream {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;

  /** Feeds bytes from ffmpeg; returns the frames they completed. Throws PpmStreamError on a malformed stream. */
  push(chunk: Buffer): Frame[] {
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.takeFrame();
      if (frame === null) return frames;
      frames.push(frame);
    }
  }

  private takeFrame(): Frame | null {
    if (this.bufferedBytes === 0) return null;
    const head = this.peek(Math.min(this.bufferedBytes, MAX_HEADER_BYTES)).toString('latin1');
    const match = HEADER.exec(head);
    if (match === null) {
      if (this.bufferedBytes >= MAX_HEADER_BYTES || !'P6'.startsWith(head.slice(0, 2))) throw new PpmStreamError(`not a PPM frame header: ${JSON.stringify(head.slice(0, 16))}`);
      return null;
    }
    const [header, w, h, maxValue] = match;
    if (maxValue !== '255') throw new PpmStreamError(`unsupported PPM max value ${maxValue}`);
    const width = Number(w);
    const height = Number(h);
    const total = header!.length + width * height * 3;
    if (this.bufferedBytes < total) return null;
    const all = this.peek(this.bufferedBytes);
    const data = Buffer.from(all.subarray(header!.length, total)); // a copy: the rest of `all` is kept
    const rest = all.subarray(total);
    this.buffered = rest.length > 0 ? [rest] : [];
    this.bufferedBytes = rest.length;
    return { data, width, height };
  }

  private peek(bytes: number): Buffer {
    if (this.buffered.length > 1) this.buffered = [Buffer.concat(this.buffered)];
    const only = this.buffered[0];
    if (only === undefined) throw new BugError('peek on an empty PPM buffer');
    return only.subarray(0, bytes);
  }
}
