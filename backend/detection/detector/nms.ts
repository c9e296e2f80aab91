// Non-maximum suppression that treats look-alike classes as one object, so a bus is not also reported as a truck.
import { iou } from '../../core/boxGeometry.js';
import type { Candidate } from './candidate.js';

/**
 * Greedy NMS by descending score. Two boxes compete when their classes share a family (`familyOf`
 * maps a class index to its family; a class in no merge list is its own family), so per-class NMS
 * is the case where every class is alone, and car/truck/bus in one family drops cross-class duplicates.
 */
export function suppress(candidates: readonly Candidate[], iouThreshold: number, familyOf: (classIndex: number) => number): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const kept: Candidate[] = [];
  for (const candidate of sorted) {
    const family = familyOf(candidate.classIndex);
    const duplicate = kept.some((other) => familyOf(other.classIndex) === family && iou(other.box, candidate.box) > iouThreshold);
    if (!duplicate) kept.push(candidate);
  }
  return kept;
}
