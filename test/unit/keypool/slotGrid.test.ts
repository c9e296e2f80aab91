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

  it('deals consecutive blocks of two slots to the partitions in turn', () => {
    const grid = new SlotGrid({ perSecond: 5, perMinute: 300, jitterBudgetMs: 30, phase: 0.25 });
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((slot) => grid.partitionOf(slot, 3))).toEqual([0, 0, 1, 1, 2, 2, 0, 0]);
    expect(grid.start(10)).toBeCloseTo(10.25 * 206, 9);
    expect(grid.firstFrom(grid.start(10))).toBe(10);
    expect(grid.firstFrom(grid.start(10) + 0.001)).toBe(11);
  });

  it('gives every key its own stable phase, whatever the order of the key file', () => {
    const phases = ['key-001', 'key-002', 'key-003'].map(phaseOf);
    expect(new Set(phases).size).toBe(3);
    for (const phase of phases) expect(phase).toBeGreaterThanOrEqual(0);
    for (const phase of phases) expect(phase).toBeLessThan(1);
    expect(phaseOf('key-002')).toBe(phases[1]);
  });
});
