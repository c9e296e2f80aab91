import { describe, expect, it } from 'vitest';
import { WaitQueue, type Waiter } from '../../../backend/keypool/waitQueue.js';

const waiter = (name: string, priority: number, enqueuedAt: number, deadlineAt = Infinity): Waiter & { name: string } => ({ name, priority, enqueuedAt, deadlineAt, tokens: 1 });

describe('keypool > waitQueue', () => {
  it('serves the highest priority first and arrival order within a priority', () => {
    const queue = new WaitQueue<ReturnType<typeof waiter>>(5000);
    queue.push(waiter('low', 1, 0));
    queue.push(waiter('high-1', 8, 1));
    queue.push(waiter('high-2', 8, 2));
    expect(queue.peek(3)?.name).toBe('high-1');
  });

  it('ages waiting requests so a low priority one eventually goes first', () => {
    const queue = new WaitQueue<ReturnType<typeof waiter>>(5000);
    queue.push(waiter('old-low', 0, 0));
    queue.push(waiter('new-high', 9, 45_500));
    expect(queue.peek(46_000)?.name).toBe('old-low');
  });

  it('hands back expired waiters and reports the earliest deadline', () => {
    const queue = new WaitQueue<ReturnType<typeof waiter>>(5000);
    queue.push(waiter('a', 0, 0, 100));
    queue.push(waiter('b', 0, 0, 50));
    queue.push(waiter('c', 0, 0));
    expect(queue.earliestDeadline()).toBe(50);
    expect(queue.takeExpired(100).map((w) => w.name)).toEqual(['a', 'b']);
    expect(queue.size).toBe(1);
  });
});
