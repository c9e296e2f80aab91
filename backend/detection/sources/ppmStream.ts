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
  /** Size of the frame being received (header + pixels), once its header has been read. */
  private pendingTotal: number | null = null;
  private pendingHeader = 0;
  private pendingSize: [number, number] = [0, 0];

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
    if (this.pendingTotal === null && !this.readHeader()) return null;
    // Chunks are joined only once the whole frame is here: joining on every chunk would copy it many times.
    if (this.bufferedBytes < this.pendingTotal!) return null;
    const all = this.peek(this.bufferedBytes);
    const [width, height] = this.pendingSize;
    const data = Buffer.from(all.subarray(this.pendingHeader, this.pendingTotal!)); // a copy: the rest of `all` is kept
    const rest = all.subarray(this.pendingTotal!);
    this.buffered = rest.length > 0 ? [rest] : [];
    this.bufferedBytes = rest.length;
    this.pendingTotal = null;
    return { data, width, height };
  }

  private readHeader(): boolean {
    const head = this.peek(Math.min(this.bufferedBytes, MAX_HEADER_BYTES)).toString('latin1');
    const match = HEADER.exec(head);
    if (match === null) {
      if (this.bufferedBytes >= MAX_HEADER_BYTES || !'P6'.startsWith(head.slice(0, 2))) throw new PpmStreamError(`not a PPM frame header: ${JSON.stringify(head.slice(0, 16))}`);
      return false;
    }
    const [header, w, h, maxValue] = match;
    if (maxValue !== '255') throw new PpmStreamError(`unsupported PPM max value ${maxValue}`);
    this.pendingSize = [Number(w), Number(h)];
    this.pendingHeader = header!.length;
    this.pendingTotal = header!.length + Number(w) * Number(h) * 3;
    return true;
  }

  private peek(bytes: number): Buffer {
    if (this.buffered.length > 1 && this.buffered[0]!.length < bytes) this.buffered = [Buffer.concat(this.buffered)];
    const only = this.buffered[0];
    if (only === undefined) throw new BugError('peek on an empty PPM buffer');
    return only.subarray(0, bytes);
  }
}
