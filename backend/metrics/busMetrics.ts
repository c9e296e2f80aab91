// Prometheus metrics of the bus (names from the original design): lag per partition and consume rate per group.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Bus } from '../bus/bus.js';
import type { LagMonitor } from '../bus/lagMonitor.js';

export function registerBusMetrics(bus: Bus, monitor: LagMonitor, registry: Registry): void {
  const lag = new Gauge({ name: 'kafka_lag', help: 'Messages of a partition the group has not committed yet (to the last stable offset)', labelNames: ['topic', 'partition', 'group'], registers: [registry] });
  const rate = new Gauge({ name: 'kafka_consumer_rate', help: 'Records a consumer group finished per second, over the last reading interval', labelNames: ['group'], registers: [registry] });
  const lagFailures = new Counter({ name: 'kafka_lag_read_failures_total', help: 'Lag readings that failed (broker unreachable)', labelNames: ['group'], registers: [registry] });
  const deadLetters = new Counter({ name: 'dead_letters_total', help: 'Messages sent to the DLQ, by stage and error code', labelNames: ['stage', 'code'], registers: [registry] });
  monitor.events.on('kafka_lag', ({ partitions }) => {
    for (const p of partitions) lag.set({ topic: p.topic, partition: String(p.partition), group: p.group }, p.lag);
  });
  monitor.events.on('kafka_consumer_rate', ({ group, perSecond }) => rate.set({ group }, perSecond));
  monitor.events.on('lag_failed', ({ group }) => lagFailures.inc({ group }));
  const reduced = new Counter({ name: 'dead_letters_reduced_total', help: 'Dead letters that kept only the original\'s size, hash and first bytes (or raw metadata)', labelNames: ['stage'], registers: [registry] });
  const batchFailures = new Counter({ name: 'bus_batch_failures_total', help: 'Batches that could not be committed and were retried (their partition waited)', labelNames: ['group', 'topic'], registers: [registry] });
  const restarts = new Counter({ name: 'bus_consumer_restarts_total', help: 'Consumers the client gave up and the bus started again', labelNames: ['group', 'topic'], registers: [registry] });
  bus.events.on('batch_failed', ({ group, topic }) => batchFailures.inc({ group, topic }));
  bus.events.on('consumer_restarted', ({ group, topic }) => restarts.inc({ group, topic }));
  const skipped = new Counter({ name: 'records_skipped_total', help: 'Records a view (the camera wall) could not read and passed over; the stage owning the topic dead-letters them', labelNames: ['stage', 'code'], registers: [registry] });
  bus.events.on('skipped', ({ stage, code }) => skipped.inc({ stage, code }));
  bus.events.on('dead_letter', ({ stage, code, reduced: wasReduced }) => {
    deadLetters.inc({ stage, code });
    if (wasReduced) reduced.inc({ stage });
  });
}
