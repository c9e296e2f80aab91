// A camera's picture at full size, kept for the crops of emitted groups. ffmpeg hands it over as YUV 4:2:0
// in its pgmyuv layout (what the decoder produces, so it costs no colour conversion): the Y plane, then
// half-height rows holding a U row and a V row side by side. Only a crop's pixels ever become RGB.
import type { Frame } from './frame.js';

export type Picture = { format: 'rgb'; frame: Frame } | { format: 'pgmyuv'; data: Buffer; width: number; height: number };

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export function pictureSize(picture: Picture): { width: number; height: number } {
  return picture.format === 'rgb' ? { width: picture.frame.width, height: picture.frame.height } : { width: picture.width, height: picture.height };
}


/**
 * The pixels of `rect` (inside the picture) as packed RGB. A pgmyuv picture is converted (BT.601 limited range,
 * as H.264 cameras send) straight at the size the crop is sent at, at most `maxSide` on its longer side, so
 * only pixels that are sent are computed; an RGB picture is copied at full size (sharp scales it).
 */
export function rgbOfRect(picture: Picture, rect: Rect, maxSide: number): Frame {
  if (picture.format === 'rgb') return copyRgbRect(picture.frame, rect);
  const { data, width, height } = picture;
  const half = width >> 1;
  const step = Math.max(1, Math.max(rect.width, rect.height) / maxSide);
  const outWidth = Math.max(1, Math.round(rect.width / step));
  const outHeight = Math.max(1, Math.round(rect.height / step));
  const buffer = Buffer.allocUnsafe(outWidth * outHeight * 3);
  // Clamped to 0–255 and rounded on assignment.
  const out = new Uint8ClampedArray(buffer.buffer, buffer.byteOffset, buffer.length);
  // Shrinking by 1.5× or more, each luma sample is the mean of a 2×2 block (less aliasing at no real cost).
  const smooth = step >= 1.5;
  const lastY = height - 1;
  // Source columns of the output columns, worked out once per crop rather than once per pixel.
  const columns = new Int32Array(outWidth);
  const rights = new Int32Array(outWidth);
  for (let ox = 0; ox < outWidth; ox++) {
    columns[ox] = Math.min(width - 1, rect.left + Math.floor((ox + 0.5) * step));
    rights[ox] = Math.min(width - 1, columns[ox]! + 1);
  }
  let o = 0;
  for (let oy = 0; oy < outHeight; oy++) {
    const y = Math.min(lastY, rect.top + Math.floor((oy + 0.5) * step));
    const row = y * width;
    const below = Math.min(lastY, y + 1) * width;
    const chroma = width * height + (y >> 1) * width;
    for (let ox = 0; ox < outWidth; ox++) {
      const x = columns[ox]!;
      const right = rights[ox]!;
      const luma = smooth ? (data[row + x]! + data[row + right]! + data[below + x]! + data[below + right]! + 2) >> 2 : data[row + x]!;
      const c = 298 * (luma - 16) + 128;
      const d = data[chroma + (x >> 1)]! - 128;
      const e = data[chroma + half + (x >> 1)]! - 128;
      out[o++] = (c + 409 * e) >> 8;
      out[o++] = (c - 100 * d - 208 * e) >> 8;
      out[o++] = (c + 516 * d) >> 8;
    }
  }
  return { data: buffer, width: outWidth, height: outHeight };
}

function copyRgbRect(frame: Frame, rect: Rect): Frame {
  const out = Buffer.allocUnsafe(rect.width * rect.height * 3);
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.top + y) * frame.width + rect.left) * 3;
    frame.data.copy(out, y * rect.width * 3, from, from + rect.width * 3);
  }
  return { data: out, width: rect.width, height: rect.height };
}
