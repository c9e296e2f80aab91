// A broker that does not answer: the readings time out (lag_failed each poll), and the one still unanswered is
// waited for again instead of a new one started per poll (they would pile up for as long as the client retries).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Bus, BusEvents, PartitionLag } from '../../../backend/bus/bus.js';
import { createLagMonitor } from '../../../backend/bus/lagMonitor.js';

function unansweringBus(): { bus: Bus; calls: () => number; answer: (partitions: PartitionLag[]) => void } {
  let calls = 0;
  let answer: (partitions: PartitionLag[]) => void = () => undefined;
  const bus = {
    kind: 'kafka',
    events: new EventEmitter<BusEvents>(),
    lag: () => {
      calls++;
      return new Promise<PartitionLag[]>((resolve) => (answer = resolve));
    },
  } as unknown as Bus;
  return { bus, calls: () => calls, answer: (partitions) => answer(partitions) };
}

describe('bus > lagMonitor', () => {
  it('reports an unanswered reading as failed at each poll and starts no second one while it is pending', async () => {
    const { bus, calls, answer } = unansweringBus();
    // A reading is given up after max(2 s, two intervals).
    const monitor = createLagMonitor(bus, [{ group: 'g', topic: 't' }], 1000);
    const failed: string[] = [];
    const read: PartitionLag[][] = [];
    monitor.events.on('lag_failed', ({ message }) => failed.push(message));
    monitor.events.on('kafka_lag', ({ partitions }) => read.push(partitions));

    await monitor.poll();
    await monitor.poll();
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed[0]).toMatch(/reading the lag of g on t did not finish within 2000 ms/);
    expect(calls()).toBe(1);

    const partitions = [{ group: 'g', topic: 't', partition: 0, committed: '5', end: '7', lag: 2 }];
    answer(partitions);
    await monitor.poll();
    expect(read).toContainEqual(partitions);
    // Answered: a later poll asks again.
    await monitor.poll();
    expect(calls()).toBe(2);
    monitor.stop();
  }, 20_000);
});
