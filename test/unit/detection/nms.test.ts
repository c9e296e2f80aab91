import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../../backend/detection/detector/candidate.js';
import { suppress } from '../../../backend/detection/detector/nms.js';

const CAR = 2;
const BUS = 5;
const TRUCK = 7;
const PERSON = 0;
const alone = (index: number): number => index;
const vehiclesTogether = (index: number): number => ([CAR, BUS, TRUCK].includes(index) ? CAR : index);
const c = (classIndex: number, score: number, box: Candidate['box']): Candidate => ({ classIndex, score, box });

describe('detection > nms', () => {
  it('keeps a bus and its truck duplicate with per-class NMS, and only the bus when vehicles are one family', () => {
    // The double-decker of the NYC photo: bus 0.743 and truck 0.527 on nearly the same box.
    const boxes = [c(BUS, 0.743, [866, 111, 1198, 348]), c(TRUCK, 0.527, [868, 111, 1200, 349])];
    expect(suppress(boxes, 0.45, alone)).toHaveLength(2);
    expect(suppress(boxes, 0.45, vehiclesTogether).map((k) => k.classIndex)).toEqual([BUS]);
  });

  it('never suppresses a person with a vehicle, nor two vehicles that merely touch', () => {
    const boxes = [c(CAR, 0.9, [0, 0, 100, 100]), c(PERSON, 0.8, [10, 10, 90, 95]), c(TRUCK, 0.7, [100, 0, 200, 100])];
    expect(suppress(boxes, 0.45, vehiclesTogether)).toHaveLength(3);
  });

  it('keeps the higher score of two overlapping same-class boxes', () => {
    const kept = suppress([c(PERSON, 0.5, [0, 0, 10, 20]), c(PERSON, 0.9, [1, 0, 11, 20])], 0.45, alone);
    expect(kept).toEqual([c(PERSON, 0.9, [1, 0, 11, 20])]);
  });
});
