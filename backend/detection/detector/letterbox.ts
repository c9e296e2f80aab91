// Fits a frame into the model's square input without distorting it, and lays it out as the model expects.
import sharp from 'sharp';
import type { Frame } from '../frame.js';

/** How a model family wants its input: channel order, value scale, and where the letterbox padding goes. */
export interface InputLayout {
  channelOrder: 'bgr' | 'rgb';
  /** Multiplies each 0–255 byte: 1 for YOLOX (raw values), 1/255 for YOLOv8. */
  scale: number;
  /** top-left: the image at (0,0), padding right/bottom (YOLOX); center: padding split on both sides (YOLOv8). */
  placement: 'top-left' | 'center';
  padValue: number;
}

export interface Letterboxed {
  /** NCHW float32, 1 × 3 × size × size. */
  tensor: Float32Array;
  /** The frame resized to fit (before padding): reused for previews, which need no more detail than the model sees. */
  resized: Frame;
  /** Model-input pixels per frame pixel. */
  ratio: number;
  /** Where the frame's (0,0) landed in the model input. */
  offsetX: number;
  offsetY: number;
}

/** Writes into `tensor` (1 × 3 × size × size, reused across frames) when given. */
export async function letterbox(frame: Frame, size: number, layout: InputLayout, tensor: Float32Array = new Float32Array(3 * size * size)): Promise<Letterboxed> {
  const ratio = Math.min(size / frame.width, size / frame.height);
  const width = Math.max(1, Math.floor(frame.width * ratio));
  const height = Math.max(1, Math.floor(frame.height * ratio));
  const offsetX = layout.placement === 'center' ? Math.floor((size - width) / 2) : 0;
  const offsetY = layout.placement === 'center' ? Math.floor((size - height) / 2) : 0;
  // A source already scaled by ffmpeg to the model's size needs no resize at all.
  const resized =
    width === frame.width && height === frame.height
      ? frame
      : { data: await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).resize(width, height, { fit: 'fill', kernel: 'linear' }).raw().toBuffer(), width, height };
  return { tensor: toPlanar(resized, size, offsetX, offsetY, layout, tensor), resized, ratio, offsetX, offsetY };
}

/** Packed RGB bytes → three float planes in the model's channel order, padded around the image. */
function toPlanar(image: Frame, size: number, offsetX: number, offsetY: number, layout: InputLayout, tensor: Float32Array): Float32Array {
  const plane = size * size;
  // Only the padding is filled: the image's pixels are all written below (the tensor is reused across frames).
  const pad = layout.padValue * layout.scale;
  for (let channel = 0; channel < 3; channel++) {
    const base = channel * plane;
    tensor.fill(pad, base, base + offsetY * size);
    tensor.fill(pad, base + (offsetY + image.height) * size, base + plane);
    if (image.width < size) for (let y = offsetY; y < offsetY + image.height; y++) {
      tensor.fill(pad, base + y * size, base + y * size + offsetX);
      tensor.fill(pad, base + y * size + offsetX + image.width, base + (y + 1) * size);
    }
  }
  const [first, , third] = layout.channelOrder === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const scale = layout.scale;
  const rgb = image.data;
  for (let y = 0; y < image.height; y++) {
    let byte = y * image.width * 3;
    let pixel = (y + offsetY) * size + offsetX;
    for (let x = 0; x < image.width; x++, pixel++, byte += 3) {
      tensor[pixel] = rgb[byte + first]! * scale;
      tensor[plane + pixel] = rgb[byte + 1]! * scale;
      tensor[2 * plane + pixel] = rgb[byte + third]! * scale;
    }
  }
  return tensor;
}
