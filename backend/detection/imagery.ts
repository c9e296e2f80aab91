// The pictures a result carries: a small preview of the frame for the camera wall, and a crop around each group.
import sharp from 'sharp';
import type { Box } from '../core/boxGeometry.js';
import type { Frame } from './frame.js';
import { rgbOfRect, type Picture } from './picture.js';

export interface ImagerySettings {
  thumbnailWidth: number;
  /** A camera's preview at most this often (0: every frame). */
  thumbnailIntervalMs: number;
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

/**
 * The crop of `region` (picture pixels) from the full picture; its pixels are copied out before anything yields,
 * so the source may recycle the picture's buffer afterwards.
 */
export async function renderCrop(picture: Picture, region: Box, settings: ImagerySettings): Promise<string> {
  const size = picture.format === 'rgb' ? picture.frame : picture;
  const jpeg = await rawInput(rgbOfRect(picture, cropRegion(region, size), settings.cropMaxSide))
    .resize({ width: settings.cropMaxSide, height: settings.cropMaxSide, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: settings.jpegQuality })
    .toBuffer();
  return jpeg.toString('base64');
}
