import { describe, expect, it } from 'vitest';
import { failoverWindow, partitionMoves, throughputBetweenPercentiles } from '../../../backend/bench/failoverWindow.js';
import type { ShareSample } from '../../../backend/bench/schedulerFigures.js';

const sample = (atMs: number, owned: Record<string, number[] | null>): ShareSample => ({ atMs, owned, requests: {} });

describe('partitionMoves', () => {
  it("moves a killed instance's partitions when another instance reports them, not when it falls silent", () => {
    const shares = [
      sample(0, { a: [0, 1], b: [2, 3] }),
      sample(1000, { a: null, b: [2, 3] }),
      sample(6000, { a: null, b: [0, 1, 2, 3] }),
      // The restarted instance takes two back; one sample catches both instances reporting partition 1.
      sample(8000, { a: [1], b: [0, 1, 2, 3] }),
      sample(8200, { a: [1, 3], b: [0, 2] }),
    ];
    expect(partitionMoves(shares, 500)).toEqual([
      { atMs: 6000, partition: 0, to: 'b' },
      { atMs: 6000, partition: 1, to: 'b' },
      { atMs: 8200, partition: 1, to: 'a' },
      { atMs: 8200, partition: 3, to: 'a' },
    ]);
  });

  it('leaves out the first assignment and moves before the kill', () => {
    const shares = [sample(0, { a: [0], b: [1] }), sample(100, { a: [0, 1], b: [] }), sample(900, { a: [0], b: [1] })];
    expect(partitionMoves(shares, 500)).toEqual([{ atMs: 900, partition: 1, to: 'b' }]);
  });
});

describe('failoverWindow', () => {
  it('runs from the kill until a request granted after the last move has had time to complete', () => {
    const moves = [
      { atMs: 6000, partition: 0, to: 'b' },
      { atMs: 8200, partition: 1, to: 'a' },
    ];
    expect(failoverWindow(1000, moves, 1520)).toEqual({ fromMs: 1000, toMs: 9720 });
    expect(failoverWindow(1000, [], 1520)).toBeNull();
  });
});

describe('throughputBetweenPercentiles', () => {
  // 100 completions a second for 10 s, then none for 2 s, then 100 a second for 10 s.
  const seenAt = [...Array.from({ length: 1000 }, (_, index) => index * 10), ...Array.from({ length: 1000 }, (_, index) => 12_000 + index * 10)];

  it('counts the gap when nothing is left out', () => {
    // The 100th completion is at 1 s and the 1899th at 20.99 s: 1799 intervals in 19.99 s, the gap included.
    expect(throughputBetweenPercentiles(seenAt)).toBeCloseTo(1799 / 19.99, 6);
  });

  it('leaves out the time and the completions inside the window', () => {
    // 2.01 s and the one completion at 12 s go: 100 a second, as on either side of the gap.
    expect(throughputBetweenPercentiles(seenAt, { fromMs: 9990, toMs: 12_000 })).toBeCloseTo(1798 / 17.98, 6);
  });

  it('has no figure for too few completions', () => {
    expect(throughputBetweenPercentiles([5])).toBeNull();
  });
});
