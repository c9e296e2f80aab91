// Reads a still image (JPEG, PNG, …) into a Frame, upright as its EXIF orientation says, and fits frames to the detector's size.
import sharp from 'sharp';
import { DetectorError } from './detector/detectorError.js';
import type { Frame } from './frame.js';

export async function readImageFrame(file: string | Buffer): Promise<Frame> {
  const name = typeof file === 'string' ? file : 'image buffer';
  try {
    const { data, info } = await sharp(file).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (error) {
    throw new DetectorError('image_invalid', `${name} is not a readable image: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The frame scaled down to fit a square of `size` (aspect kept), as the detector's letterbox would. */
export async function fitFrame(frame: Frame, size: number): Promise<Frame> {
  const ratio = Math.min(size / frame.width, size / frame.height);
  if (ratio >= 1) return frame;
  const width = Math.max(1, Math.floor(frame.width * ratio));
  const height = Math.max(1, Math.floor(frame.height * ratio));
  const data = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).resize(width, height, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
  return { data, width, height };
}
