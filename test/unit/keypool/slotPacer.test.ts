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
    next.take(T0 + 400);
    // Partition 0's slot 4 opens at 800; its owner sends in it 2 ms late and the partition moves 1 ms after that.
    expect(former.earliestAt(T0 + 802)).toBe(T0 + 802);
    former.take(T0 + 802);
    former.configure(grid, owning([], 2), T0 + 802);
    next.configure(grid, owning([0, 1], 2), T0 + 803);
    // Slot 4 is still within the new owner's 5 ms tolerance, but it is gone, and so is the rest of the block the
    // former owner's request may still be arriving in (up to 1203); the partition it kept goes on at once (slot 6).
    expect(next.earliestAt(T0 + 803) - T0).toBe(1200);
    next.take(T0 + 1200);
    next.take(T0 + 1400);
    // Slots 8–9 are partition 0's again, now past the former owner's block.
    expect(next.earliestAt(T0 + 1400) - T0).toBe(1600);
  });

  it('waits a block on every partition when the partition count changes: each slot is dealt anew', () => {
    // Block B = T1/400 is a multiple of 6, so it is partition 0's out of 2 and out of 3 alike.
    const T1 = 1_000_000_000_000 - (1_000_000_000_000 % 2400);
    const pacer = new SlotPacer(grid, owning([0, 1], 2), () => 5);
    pacer.take(T1);
    pacer.configure(grid, owning([0, 1], 3), T1 + 10);
    // Slot 2 (400) is partition 1's out of 3 and would be next; the first slot a block after the recount is at 600.
    expect(pacer.earliestAt(T1 + 10) - T1).toBe(600);
  });

  it('as a new sole owner, waits for the grid while the former owner may have used the key lately', () => {
    const former = new SlotPacer(grid, owning([1], 2), () => 5);
    const next = new SlotPacer(grid, owning([0], 2), () => 5);
    former.take(T0 + 400);
    next.configure(grid, owning([0, 1], 2), T0 + 401);
    // Not at once on a moved grid, and not in the gained partition's block after the gain: the partition it had
    // all along starts its block at 800.
    expect(next.earliestAt(T0 + 401) - T0).toBe(800);
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

  it('holds the key while its last request has not reached the socket, once the client reports writes', () => {
    const path = new SendPath();
    const pacer = new SlotPacer(grid, owning([0], 2), () => 5, path, () => 30);
    // Before any write is reported, nothing is held for one (a client that cannot report them still sends).
    expect(pacer.take(T0)).toBe(T0);
    expect(pacer.earliestAt(T0 + 1)).toBe(T0 + 800);
    pacer.written(T0, T0 + 2);
    expect(pacer.take(T0 + 800)).toBe(T0 + 800);
    expect(pacer.earliestAt(T0 + 801)).toBe(Number.POSITIVE_INFINITY);
    // On time (within the 30 ms budget): the block's second slot is usable as ever.
    pacer.written(T0 + 800, T0 + 803);
    expect(pacer.earliestAt(T0 + 803)).toBe(T0 + 1000);
    // A request that ended without a write (connection refused) frees the key too.
    pacer.take(T0 + 1000);
    expect(pacer.earliestAt(T0 + 1001)).toBe(Number.POSITIVE_INFINITY);
    pacer.unsent();
    expect(pacer.earliestAt(T0 + 1001)).toBe(T0 + 1600);
  });

  it('leaves its next slot unused when a request reached the socket later than the arrival budget', () => {
    const pacer = new SlotPacer(grid, owning([0], 2), () => 5, new SendPath(), () => 30);
    pacer.take(T0);
    pacer.written(T0, T0 + 1);
    pacer.take(T0 + 800);
    // Written 60 ms after its slot (a starved process): it arrives where slot 5 (1000) is due, so slot 5 stays
    // unused; the next is partition 0's following block.
    pacer.written(T0 + 800, T0 + 860);
    expect(pacer.earliestAt(T0 + 860)).toBe(T0 + 1600);
    expect(pacer.passedOver).toBe(1);
    // Late by more than a slot's spacing: every own slot opening before write − budget + spacing is left (slot 9;
    // 10 and 11 are partition 1's, whoever owns it), and slot 12 (2400) is the next.
    pacer.take(T0 + 1600);
    pacer.written(T0 + 1600, T0 + 2050);
    expect(pacer.earliestAt(T0 + 2050)).toBe(T0 + 2400);
    expect(pacer.passedOver).toBe(2);
    // Both are counted, for operators to size the budget by.
    expect(pacer.lateWrites).toBe(2);
  });

  it('takes the tolerance and arrival budget of a reloaded key file', () => {
    const pacer = new SlotPacer(grid, owning([0], 2), () => 5, new SendPath(), () => 30);
    pacer.take(T0);
    pacer.written(T0, T0 + 1);
    pacer.configure(grid, owning([0], 2), T0 + 1, { toleranceMs: () => 20, arrivalBudgetMs: () => 80 });
    // Slot 4 (800) reached 15 ms late is still usable now, and a write 60 ms after it is on time.
    expect(pacer.earliestAt(T0 + 815)).toBe(T0 + 815);
    pacer.take(T0 + 815);
    pacer.written(T0 + 800, T0 + 860);
    expect(pacer.lateWrites).toBe(0);
    expect(pacer.earliestAt(T0 + 860)).toBe(T0 + 1000);
  });
});
