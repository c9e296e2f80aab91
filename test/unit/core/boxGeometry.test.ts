import { describe, expect, it } from 'vitest';
import { iou } from '../../../backend/core/boxGeometry.js';

describe('core > boxGeometry', () => {
  it('computes IoU of overlapping, touching and disjoint boxes', () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150);
    expect(iou([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0);
  });
});
