import { describe, expect, it } from 'vitest';
import { detectionResultMessage, decodeMessage } from '../../../backend/contracts/index.js';
import { encodeWithinLimit } from '../../../backend/detection/fitMessage.js';
import { detectionResult } from '../../support/messageFixtures.js';

const image = (kib: number): string => 'A'.repeat(kib * 1024);

describe('detection > fitMessage', () => {
  it('sends a message that fits unchanged', () => {
    const fitted = encodeWithinLimit(detectionResult(), 1 << 20);
    expect(fitted.ok && fitted.droppedImages).toBe(0);
  });

  it('leaves out the thumbnail first, then crops from the last group, but never a detection or a group', () => {
    const base = detectionResult();
    const message = {
      ...base,
      thumbnail_jpeg_b64: image(100),
      groups: [0, 1, 2].map((i) => ({ ...base.groups[0]!, group_id: `g-${i}`, crop_jpeg_b64: image(100) })),
    };
    const fitted = encodeWithinLimit(message, 250 * 1024);
    expect(fitted.ok).toBe(true);
    if (!fitted.ok) return;
    expect(fitted.droppedImages).toBe(2);
    const decoded = decodeMessage(detectionResultMessage, fitted.value);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.value.thumbnail_jpeg_b64).toBeNull();
    expect(decoded.value.groups.map((g) => g.crop_jpeg_b64 !== null)).toEqual([true, true, false]);
    expect(decoded.value.detections).toEqual(base.detections);
  });

  it('reports a message that cannot fit even without pictures', () => {
    const fitted = encodeWithinLimit(detectionResult(), 200);
    expect(fitted.ok).toBe(false);
    expect(!fitted.ok && fitted.error.code).toBe('too_large');
  });
});
