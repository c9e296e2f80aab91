// The pictures a result carries: a small preview of the frame for the camera wall, and a crop around each group.
import sharp from 'sharp';
import type { Box } from '../core/boxGeometry.js';
import type { Frame } from './frame.js';

export interface ImagerySettings {
  thumbnailWidth: number;
  cropMaxSide: number;
  jpegQuality: number;
}

const rawInput = (frame: Frame) => sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } });

export async function renderThumbnail(frame: Frame, settings: ImagerySettings): Promise<string | null> {
  if (settings.thumbnailWidth === 0) return null;
  const jpeg = await rawInput(frame)
    .resize({ width: Math.min(settings.thumbnailWidth, frame.width), kernel: 'linear' })
    .jpeg({ quality: settings.jpegQuality })
    .toBuffer();
  return jpeg.toString('base64');
}

/** The group region with a margin of a fifth of its size on each side (context for the assessor), within the frame. */
export function cropRegion(region: Box, frame: Pick<Frame, 'width' | 'height'>): { left: number; top: number; width: number; height: number } {
  const marginX = (region[2] - region[0]) * 0.2;
  const marginY = (region[3] - region[1]) * 0.2;
  const left = Math.max(0, Math.floor(region[0] - marginX));
  const top = Math.max(0, Math.floor(region[1] - marginY));
  const right = Math.min(frame.width, Math.ceil(region[2] + marginX));
  const bottom = Math.min(frame.height, Math.ceil(region[3] + marginY));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

export async function renderCrop(frame: Frame, region: Box, settings: ImagerySettings): Promise<string> {
  const jpeg = await rawInput(frame)
    .extract(cropRegion(region, frame))
    .resize({ width: settings.cropMaxSide, height: settings.cropMaxSide, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: settings.jpegQuality })
    .toBuffer();
  return jpeg.toString('base64');
}
