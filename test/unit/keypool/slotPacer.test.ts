import { describe, expect, it } from 'vitest';
import { SlotGrid } from '../../../backend/keypool/slotGrid.js';
import { SendPath, SlotPacer, type Ownership } from '../../../backend/keypool/slotPacer.js';

// 200 ms slots from epoch 0 (no budget, phase 0): slot n opens at 200·n; blocks of two go to partitions in turn.
const grid = new SlotGrid({ perSecond: 5, perMinute: 1000, jitterBudgetMs: 0, phase: 0 });
const owning = (owned: number[], total: number): Ownership => ({ owned: new Set(owned), total });
const T0 = 1_000_000_000_000 - (1_000_000_000_000 % 2000);

describe('keypool > slotPacer', () => {
  it('uses only the slots of its own partitions, one request each', () => {
    const pacer = new SlotPacer(grid, owning([1], 2), () => 5);
    // Partition 1 owns blocks 1, 3, …: slots 2–3 (400, 600), then 6–7 (1200, 1400) after T0.
    const first = pacer.earliestAt(T0);
    expect(first - T0).toBe(400);
    pacer.take(first);
    // The first request was cold (the key was idle): it took its block's second slot as well.
    expect(pacer.earliestAt(first) - T0).toBe(1200);
    pacer.take(T0 + 1200);
    expect(pacer.earliestAt(T0 + 1200) - T0).toBe(1400);
  });

  it('passes over a slot reached later than the tolerance', () => {
    const pacer = new SlotPacer(grid, owning([0], 2), () => 5);
    pacer.take(pacer.earliestAt(T0));
    // Slots 4 and 5 (800, 1000) are partition 0's; reached 6 ms late, slot 4 is gone.
    expect(pacer.earliestAt(T0 + 804) - T0).toBe(804);
    expect(pacer.earliestAt(T0 + 806) - T0).toBe(1000);
  });

  it('as the only owner, serves an idle key at once instead of waiting for the grid', () => {
    const pacer = new SlotPacer(grid, owning([0], 1), () => 5);
    expect(pacer.earliestAt(T0 + 73)).toBe(T0 + 73);
    pacer.take(T0 + 73);
    // Its cold block's second slot is left unused: the next request waits two slots.
    expect(pacer.earliestAt(T0 + 73)).toBe(T0 + 473);
  });

  it('goes back to the common grid when it stops being the only owner', () => {
    const pacer = new SlotPacer(grid, owning([0], 1), () => 5);
    pacer.take(T0 + 73);
    pacer.configure(grid, owning([0], 2), T0 + 90);
    expect((pacer.earliestAt(T0 + 100) - T0) % 200).toBe(0);
    expect(pacer.ratePerSecond()).toBe(2.5);
  });

  it('never uses a slot that opened before it was given the partition: the former owner may have used it', () => {
    const former = new SlotPacer(grid, owning([0], 2), () => 5);
    const next = new SlotPacer(grid, owning([1], 2), () => 5);
    // Partition 0's slot 4 opens at 800; its owner sends in it 2 ms late and the partition moves 1 ms after that.
    expect(former.earliestAt(T0 + 802)).toBe(T0 + 802);
    former.take(T0 + 802);
    former.configure(grid, owning([], 2), T0 + 802);
    next.configure(grid, owning([0, 1], 2), T0 + 803);
    // Slot 4 is still within the new owner's 5 ms tolerance, but it is gone, and so is the rest of the block the
    // former owner's request may still be arriving in (up to 1203): cold, the new owner starts the next block.
    expect(next.earliestAt(T0 + 803) - T0).toBe(1600);
  });

  it('as a new sole owner, waits for the grid while the former owner may have used the key lately', () => {
    const former = new SlotPacer(grid, owning([1], 2), () => 5);
    const next = new SlotPacer(grid, owning([0], 2), () => 5);
    former.take(T0 + 400);
    next.configure(grid, owning([0, 1], 2), T0 + 401);
    // Not at once on a moved grid, and not in the block after the gain: cold, it starts the block at 1200.
    expect(next.earliestAt(T0 + 401) - T0).toBe(1200);
    // Once nobody has used the key for the cold interval, an idle key is served at once again.
    expect(next.earliestAt(T0 + 2500)).toBe(T0 + 2500);
  });

  it('keeps both slots of a block for a key idle here while the instance sends on its other keys', () => {
    const path = new SendPath();
    const busy = new SlotPacer(grid, owning([0], 2), () => 5, path);
    const idle = new SlotPacer(grid, owning([0], 2), () => 5, path);
    idle.take(idle.earliestAt(T0));
    // The idle key's last request was 4 s ago, but its neighbour sent 100 ms ago over the same warm connections.
    busy.take(T0 + 3900);
    idle.take(T0 + 4000);
    expect(idle.earliestAt(T0 + 4000) - T0).toBe(4200);
    // A key idle while the whole instance was idle is cold again: its block's second slot stays unused.
    const alone = new SlotPacer(grid, owning([0], 2), () => 5, new SendPath());
    alone.take(T0);
    alone.take(T0 + 4000);
    expect(alone.earliestAt(T0 + 4000) - T0).toBe(4800);
  });

  it('has no slot without partitions', () => {
    const pacer = new SlotPacer(grid, owning([], 4), () => 5);
    expect(pacer.earliestAt(T0)).toBe(Number.POSITIVE_INFINITY);
    expect(pacer.ratePerSecond()).toBe(0);
  });
});
