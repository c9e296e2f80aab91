// Periodic lag and consume-rate readings of the consumer groups a process runs, as events for metrics and the UI.
import { EventEmitter } from 'node:events';
import { singleFlight } from '../core/singleFlight.js';
import { withTimeout } from '../core/withTimeout.js';
import type { Bus, PartitionLag } from './bus.js';

export interface WatchedGroup {
  group: string;
  topic: string;
}

export interface LagMonitorEvents {
  /** One reading of a group on a topic, every partition. */
  kafka_lag: [{ group: string; topic: string; partitions: PartitionLag[] }];
  /** Records the group finished per second over the last interval. */
  kafka_consumer_rate: [{ group: string; topic: string; perSecond: number }];
  /** A reading failed (broker away); the next interval tries again. */
  lag_failed: [{ group: string; topic: string; message: string }];
}

export interface LagMonitor {
  readonly events: EventEmitter<LagMonitorEvents>;
  /** Reads every watched group once now (also what each interval does). */
  poll(): Promise<void>;
  stop(): void;
}

export function createLagMonitor(bus: Bus, watched: readonly WatchedGroup[], intervalMs: number): LagMonitor {
  const events = new EventEmitter<LagMonitorEvents>();
  const readingTimeoutMs = Math.max(2000, 2 * intervalMs);
  const counts = new Map<string, number>();
  const keyOf = (group: string, topic: string): string => `${group}\u0000${topic}`;
  const onProcessed = ({ group, topic, count }: { group: string; topic: string; count: number }): void => {
    counts.set(keyOf(group, topic), (counts.get(keyOf(group, topic)) ?? 0) + count);
  };
  bus.events.on('processed', onProcessed);
  let lastPollAt = performance.now();
  let polling: Promise<void> | null = null;
  // The client retries a broker that is away for half a minute: a reading given up after two intervals goes on in
  // the background, and the next poll waits for it instead of starting one more each time.
  const reading = singleFlight<PartitionLag[]>();
  const pollOnce = async (): Promise<void> => {
    const now = performance.now();
    const seconds = Math.max(0.001, (now - lastPollAt) / 1000);
    lastPollAt = now;
    for (const { group, topic } of watched) {
      const processed = counts.get(keyOf(group, topic)) ?? 0;
      counts.set(keyOf(group, topic), 0);
      events.emit('kafka_consumer_rate', { group, topic, perSecond: processed / seconds });
      try {
        // The client retries a broker that is away for half a minute before it fails: a reading that outlasts two
        // intervals counts as failed, so an outage shows (broker_unreachable) while it lasts.
        events.emit('kafka_lag', { group, topic, partitions: await withTimeout(reading(keyOf(group, topic), () => bus.lag(group, topic)), readingTimeoutMs, `reading the lag of ${group} on ${topic}`) });
      } catch (error) {
        events.emit('lag_failed', { group, topic, message: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  const poll = (): Promise<void> => (polling ??= pollOnce().finally(() => (polling = null)));
  const timer = setInterval(() => void poll(), intervalMs);
  timer.unref();

  return {
    events,
    poll,
    stop() {
      clearInterval(timer);
      bus.events.off('processed', onProcessed);
    },
  };
}
