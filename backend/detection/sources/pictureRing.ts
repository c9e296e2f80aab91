// The last few full pictures of one decoder, by frame index, in buffers that are reused: a camera's pictures
// all have the same size, and a new 1–3 MB buffer per frame is what made garbage collection cost most.
import type { Picture } from '../picture.js';

export class PictureRing {
  private readonly kept = new Map<number, Picture>();
  private readonly spare: Buffer[] = [];

  constructor(private readonly capacity: number) {}

  /** A buffer for the next picture: a recycled one of this size when there is one. */
  allocate(bytes: number): Buffer {
    const index = this.spare.findIndex((buffer) => buffer.length === bytes);
    return index >= 0 ? this.spare.splice(index, 1)[0]! : Buffer.allocUnsafeSlow(bytes);
  }

  add(frameIndex: number, picture: Picture): void {
    this.kept.set(frameIndex, picture);
    for (const [oldest, evicted] of this.kept) {
      if (this.kept.size <= this.capacity) break;
      this.kept.delete(oldest);
      if (evicted.format === 'pgmyuv' && this.spare.length < this.capacity) this.spare.push(evicted.data);
    }
  }

  /** The picture of a frame, or null once it was recycled; its pixels must be read before yielding. */
  get(frameIndex: number): Picture | null {
    return this.kept.get(frameIndex) ?? null;
  }
}
