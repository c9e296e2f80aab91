// Reads a still image (JPEG, PNG, …) into a Frame, upright as its EXIF orientation says.
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
