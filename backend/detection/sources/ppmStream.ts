// Splits ffmpeg's image2pipe output into pictures: `-vcodec ppm` (P6, packed RGB) and `-vcodec pgmyuv` (P5, YUV
// 4:2:0 stacked under its Y plane). Each carries its own size, so a camera that changes resolution mid-stream
// needs nothing special. Pixels are copied once, from the pipe's chunks straight into the picture's buffer.

export interface NetpbmImage {
  magic: 'P6' | 'P5';
  data: Buffer;
  width: number;
  /** Rows in the file: for pgmyuv, 1.5 × the picture's height. */
  height: number;
}

const HEADER = /^(P[56])\s+(\d+)\s+(\d+)\s+(\d+)\s/;
/** Longer than any header ffmpeg writes ("P6\n99999 99999\n255\n"); more without a match is garbage. */
const MAX_HEADER_BYTES = 64;
/** Far beyond any camera (8K RGB is 100 MB): a header asking for more is garbage, not a picture. */
const MAX_PICTURE_BYTES = 256 * 1024 * 1024;

export class PpmStreamError extends Error {}

export class PpmStream {
  private head: Buffer = Buffer.alloc(0);
  private body: { image: NetpbmImage; filled: number } | null = null;

  /** `allocate` gives the buffer a picture is written into (a pool may recycle them). */
  constructor(private readonly allocate: (bytes: number) => Buffer = (bytes) => Buffer.allocUnsafe(bytes)) {}

  /** Feeds bytes from ffmpeg; returns the pictures they completed. Throws PpmStreamError on a malformed stream. */
  push(chunk: Buffer): NetpbmImage[] {
    const done: NetpbmImage[] = [];
    let rest = chunk;
    while (rest.length > 0) {
      if (this.body === null) {
        rest = this.readHeader(rest);
        continue;
      }
      const { image } = this.body;
      const taken = Math.min(rest.length, image.data.length - this.body.filled);
      rest.copy(image.data, this.body.filled, 0, taken);
      this.body.filled += taken;
      rest = rest.subarray(taken);
      if (this.body.filled === image.data.length) {
        done.push(image);
        this.body = null;
      }
    }
    return done;
  }

  /** Consumes header bytes from `chunk`; returns what follows the header (empty while it is incomplete). */
  private readHeader(chunk: Buffer): Buffer {
    const joined = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
    const text = joined.subarray(0, MAX_HEADER_BYTES).toString('latin1');
    const match = HEADER.exec(text);
    if (match === null) {
      if (joined.length >= MAX_HEADER_BYTES || !/^P[56]?$|^P[56]\s/.test(text.slice(0, 3))) throw new PpmStreamError(`not a PPM/PGM picture header: ${JSON.stringify(text.slice(0, 16))}`);
      this.head = Buffer.from(joined);
      return Buffer.alloc(0);
    }
    const [header, magic, w, h, maxValue] = match;
    if (maxValue !== '255') throw new PpmStreamError(`unsupported PPM max value ${maxValue}`);
    const width = Number(w);
    const height = Number(h);
    const bytes = width * height * (magic === 'P6' ? 3 : 1);
    if (width === 0 || height === 0 || bytes > MAX_PICTURE_BYTES) throw new PpmStreamError(`implausible picture size ${width}×${height}`);
    this.head = Buffer.alloc(0);
    this.body = { image: { magic: magic as 'P6' | 'P5', data: this.allocate(bytes), width, height }, filled: 0 };
    return joined.subarray(header!.length);
  }
}
