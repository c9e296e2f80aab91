// Keeps a result under the bus's message limit by leaving out pictures (never detections or groups):
// first the thumbnail, then crops from the last group backwards.
import { encodeMessage, detectionResultMessage, type DecodeError, type DetectionResultMessage } from '../contracts/index.js';

export type FitResult = { ok: true; value: string; droppedImages: number } | { ok: false; error: DecodeError };

export function encodeWithinLimit(message: DetectionResultMessage, maxBytes: number): FitResult {
  let current = message;
  let droppedImages = 0;
  for (;;) {
    const encoded = encodeMessage(detectionResultMessage, current, { maxBytes });
    if (encoded.ok) return { ok: true, value: encoded.value, droppedImages };
    if (encoded.error.code !== 'too_large') return encoded;
    const next = withoutOneImage(current);
    if (next === null) return encoded;
    current = next;
    droppedImages++;
  }
}

function withoutOneImage(message: DetectionResultMessage): DetectionResultMessage | null {
  if (message.thumbnail_jpeg_b64 !== null) return { ...message, thumbnail_jpeg_b64: null };
  const last = message.groups.findLastIndex((group) => group.crop_jpeg_b64 !== null);
  if (last < 0) return null;
  return { ...message, groups: message.groups.map((group, index) => (index === last ? { ...group, crop_jpeg_b64: null } : group)) };
}
