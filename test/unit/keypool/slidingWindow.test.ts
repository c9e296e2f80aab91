import { describe, expect, it } from 'vitest';
import { SlidingWindow } from '../../../backend/keypool/slidingWindow.js';

describe('keypool > slidingWindow', () => {
  it('allows up to the limit inside one window and frees a slot when the oldest entry leaves', () => {
    const window = new SlidingWindow(3, 1000);
    window.record(0);
    window.record(100);
    window.record(200);
    expect(window.earliestAt(300)).toBe(1000);
    expect(window.earliestAt(1000)).toBe(1000);
    window.record(1000);
    expect(window.earliestAt(1000)).toBe(1100);
  });

  it('counts amounts for token budgets and never admits more than the limit at once', () => {
    const window = new SlidingWindow(1000, 60_000);
    window.record(0, 600);
    window.record(10, 300);
    expect(window.earliestAt(20, 100)).toBe(20);
    expect(window.earliestAt(20, 200)).toBe(60_000);
    expect(window.earliestAt(20, 2000)).toBe(Number.POSITIVE_INFINITY);
  });

  it('corrects an estimate to the actual amount while the entry is in the window', () => {
    const window = new SlidingWindow(1000, 60_000);
    const handle = window.record(0, 900);
    window.adjust(handle, 100);
    expect(window.used(1)).toBe(100);
    window.adjust(handle, 5000);
    expect(window.used(60_000)).toBe(0);
  });

  it('keeps handles valid after its log is compacted', () => {
    const window = new SlidingWindow(10_000, 10);
    for (let t = 0; t < 3000; t++) window.record(t);
    const handle = window.record(3000, 1);
    window.used(3001);
    window.adjust(handle, 7);
    expect(window.used(3001)).toBe(7 + 8); // entries 2992…2999 plus the corrected one
  });
});
