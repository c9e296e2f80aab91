// The group crop a task carries, checked before it is sent anywhere: another team's producer may put any bytes here.
import type { AssessmentTaskMessage } from '../contracts/index.js';
import { AppError } from '../core/errors.js';

/** Every JPEG starts with SOI (FF D8) followed by a marker (FF). */
function isJpeg(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** The crop's bytes (null when the task has none); refuses what is not a JPEG or is over `maxBytes`. */
export function taskImage(task: AssessmentTaskMessage, maxBytes: number): Buffer | null {
  if (task.crop_jpeg_b64 === null) return null;
  const bytes = Buffer.from(task.crop_jpeg_b64, 'base64');
  if (bytes.length > maxBytes) throw new AppError('crop_too_large', `crop_jpeg_b64 holds ${bytes.length} bytes, over llm.max_image_bytes ${maxBytes}`);
  if (!isJpeg(bytes)) throw new AppError('invalid_crop', `crop_jpeg_b64 is not a JPEG (starts with ${bytes.subarray(0, 4).toString('hex') || 'nothing'})`);
  return bytes;
}
