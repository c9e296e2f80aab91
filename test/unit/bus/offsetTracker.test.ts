import { describe, expect, it } from 'vitest';
import { OffsetTracker } from '../../../backend/bus/offsetTracker.js';

describe('bus > offsetTracker', () => {
  it('offers only the contiguous completed prefix for commit', () => {
    const tracker = new OffsetTracker<string>();
    for (const offset of [10n, 11n, 12n, 13n]) tracker.start(offset);
    tracker.complete(11n, 'b');
    tracker.complete(12n, 'c');
    expect(tracker.committable()).toBeNull();
    tracker.complete(10n, 'a');
    expect(tracker.committable()).toEqual({ lastOffset: 12n, results: ['a', 'b', 'c'] });
    expect(tracker.inFlight).toBe(1);
  });

  it('keeps the prefix until its commit succeeded', () => {
    const tracker = new OffsetTracker<string>();
    tracker.start(1n);
    tracker.complete(1n, 'a');
    expect(tracker.committable()?.lastOffset).toBe(1n);
    expect(tracker.committable()?.lastOffset).toBe(1n);
    tracker.release(1n);
    expect(tracker.committable()).toBeNull();
    expect(tracker.size).toBe(0);
  });

  it('refuses offsets out of fetch order and unknown completions (programming errors)', () => {
    const tracker = new OffsetTracker<string>();
    tracker.start(5n);
    expect(() => tracker.start(5n)).toThrow(/started after/);
    expect(() => tracker.complete(6n, 'x')).toThrow(/not started/);
  });
});
