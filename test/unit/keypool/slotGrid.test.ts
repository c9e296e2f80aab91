import { describe, expect, it } from 'vitest';
import { phaseOf, SlotGrid, slotSpacingMs } from '../../../backend/keypool/slotGrid.js';

describe('keypool > slotGrid', () => {
  it('spaces slots so that L of them span the provider window plus the jitter budget', () => {
    expect(slotSpacingMs({ perSecond: 5, perMinute: 300, jitterBudgetMs: 30 })).toBeCloseTo(206, 9);
    // The minute binds: 60 per minute is one per second, plus its share of the budget.
    expect(slotSpacingMs({ perSecond: 5, perMinute: 60, jitterBudgetMs: 30 })).toBeCloseTo(60_030 / 60, 9);
    // A provider counts whole requests: 5.5 per second allows 5.
    expect(slotSpacingMs({ perSecond: 5.5, perMinute: 1000, jitterBudgetMs: 0 })).toBe(200);
    expect(slotSpacingMs({ perSecond: 0.5, perMinute: 30, jitterBudgetMs: 30 })).toBeCloseTo(2030, 9);
  });

  it('deals blocks of two slots, one to each partition per cycle, from the key\'s rotation', () => {
    const grid = new SlotGrid({ perSecond: 5, perMinute: 300, jitterBudgetMs: 30, phase: 0.25 });
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((slot) => grid.partitionOf(slot, 3))).toEqual([0, 0, 1, 1, 2, 2, 0, 0]);
    for (const total of [1, 2, 7, 12, 32, 100]) {
      const rotated = new SlotGrid({ perSecond: 5, perMinute: 300, jitterBudgetMs: 30, phase: 0, rotation: 0.37 });
      const cycle = Array.from({ length: total }, (_, block) => rotated.partitionOf(block * 2, total));
      expect(new Set(cycle).size).toBe(total);
      expect(rotated.partitionOf(1, total)).toBe(cycle[0]);
    }
    expect(grid.start(10)).toBeCloseTo(10.25 * 206, 9);
    expect(grid.firstFrom(grid.start(10))).toBe(10);
    expect(grid.firstFrom(grid.start(10) + 0.001)).toBe(11);
  });

  it("spreads a member's slots over time when Kafka gives it neighbouring partitions", () => {
    const owned = new Set([3, 4, 5, 6, 8, 10, 12, 17, 18, 21, 26]);
    const grids = Array.from({ length: 10 }, (_, index) => `key-${String(index + 1).padStart(3, '0')}`).map(
      (name) => new SlotGrid({ perSecond: 5, perMinute: 300, jitterBudgetMs: 30, phase: phaseOf(name), rotation: phaseOf(`${name}/partitions`) }),
    );
    // Owned blocks over all keys in every window of 4 blocks: 10 keys × 4 × 11/32 ≈ 14 on average.
    const perWindow = Array.from({ length: 32 }, (_, start) => grids.reduce((sum, grid) => sum + [0, 1, 2, 3].filter((step) => owned.has(grid.partitionOf((start + step) * 2, 32))).length, 0));
    expect(Math.min(...perWindow)).toBeGreaterThanOrEqual(6);
    // Dealt in step on every key, the gap from 26 round to 3 left no owned block at all in some windows.
    const inOrder = Array.from({ length: 32 }, (_, start) => [0, 1, 2, 3].filter((step) => owned.has((start + step) % 32)).length * 10);
    expect(Math.min(...inOrder)).toBe(0);
  });

  it('gives every key its own stable phase, whatever the order of the key file', () => {
    const phases = ['key-001', 'key-002', 'key-003'].map(phaseOf);
    expect(new Set(phases).size).toBe(3);
    for (const phase of phases) expect(phase).toBeGreaterThanOrEqual(0);
    for (const phase of phases) expect(phase).toBeLessThan(1);
    expect(phaseOf('key-002')).toBe(phases[1]);
  });
});
