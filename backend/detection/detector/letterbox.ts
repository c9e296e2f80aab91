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
  /** Model-input pixels per frame pixel. */
  ratio: number;
  /** Where the frame's (0,0) landed in the model input. */
  offsetX: number;
  offsetY: number;
}

export async function letterbox(frame: Frame, size: number, layout: InputLayout): Promise<Letterboxed> {
  const ratio = Math.min(size / frame.width, size / frame.height);
  const width = Math.max(1, Math.floor(frame.width * ratio));
  const height = Math.max(1, Math.floor(frame.height * ratio));
  const offsetX = layout.placement === 'center' ? Math.floor((size - width) / 2) : 0;
  const offsetY = layout.placement === 'center' ? Math.floor((size - height) / 2) : 0;
  const pad = layout.padValue;
  const rgb = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .extend({
      left: offsetX,
      top: offsetY,
      right: size - width - offsetX,
      bottom: size - height - offsetY,
      background: { r: pad, g: pad, b: pad },
    })
    .raw()
    .toBuffer();
  return { tensor: toPlanar(rgb, size, layout), ratio, offsetX, offsetY };
}

/** Packed RGB bytes → three float planes in the model's channel order. */
function toPlanar(rgb: Buffer, size: number, layout: InputLayout): Float32Array {
  const plane = size * size;
  const tensor = new Float32Array(3 * plane);
  const [first, , third] = layout.channelOrder === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const scale = layout.scale;
  for (let pixel = 0, byte = 0; pixel < plane; pixel++, byte += 3) {
    tensor[pixel] = rgb[byte + first]! * scale;
    tensor[plane + pixel] = rgb[byte + 1]! * scale;
    tensor[2 * plane + pixel] = rgb[byte + third]! * scale;
  }
  return tensor;
}
