import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { MESSAGE_SCHEMAS } from '../../../backend/contracts/index.js';
import { createEmbeddedBus } from '../../../backend/bus/embedded/embeddedBus.js';
import { createLagMonitor, type LagMonitorEvents } from '../../../backend/bus/lagMonitor.js';
import { registerBusMetrics } from '../../../backend/metrics/busMetrics.js';
import { captureLogger, taskMessage, waitFor } from '../../support/busFixtures.js';
import { useTempDir } from '../../support/tempDir.js';

describe('bus > lagMonitor (embedded bus, real SQLite)', () => {
  const temp = useTempDir();

  it('reports each watched group\'s lag and consume rate as events and as kafka_lag / kafka_consumer_rate', async () => {
    const bus = createEmbeddedBus({ path: temp.path('bus.sqlite'), dlqTopic: 'dlq', retentionMs: 3_600_000, maxBytes: 1 << 30, maxMessageBytes: 1 << 20, logger: captureLogger().logger, pollMs: 50 });
    const monitor = createLagMonitor(bus, [{ group: 'fast', topic: 'tasks' }, { group: 'idle', topic: 'tasks' }], 60_000);
    const registry = new Registry();
    registerBusMetrics(bus, monitor, registry);
    const lags: LagMonitorEvents['kafka_lag'][0][] = [];
    const rates: LagMonitorEvents['kafka_consumer_rate'][0][] = [];
    monitor.events.on('kafka_lag', (reading) => lags.push(reading));
    monitor.events.on('kafka_consumer_rate', (reading) => rates.push(reading));

    await bus.producer().send('tasks', Array.from({ length: 12 }, (_, i) => ({ key: null, value: JSON.stringify(taskMessage(i)) })));
    let handled = 0;
    const subscription = await bus.subscribe({ group: 'fast', topic: 'tasks', schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'test', handle: async () => void handled++ });
    await waitFor(() => handled === 12, 10_000, 'all handled');
    await waitFor(async () => (await bus.lag('fast', 'tasks'))[0]!.lag === 0, 10_000, 'fast committed');
    await monitor.poll();

    expect(lags.find((r) => r.group === 'fast')!.partitions).toEqual([{ group: 'fast', topic: 'tasks', partition: 0, committed: '13', end: '13', lag: 0 }]);
    expect(lags.find((r) => r.group === 'idle')!.partitions[0]).toMatchObject({ committed: '-1', lag: 12 });
    expect(rates.find((r) => r.group === 'fast')!.perSecond).toBeGreaterThan(0);
    expect(rates.find((r) => r.group === 'idle')!.perSecond).toBe(0);
    const text = await registry.metrics();
    expect(text).toMatch(/^kafka_lag\{topic="tasks",partition="0",group="idle"\} 12$/m);
    expect(text).toMatch(/^kafka_lag\{topic="tasks",partition="0",group="fast"\} 0$/m);
    expect(text).toMatch(/^kafka_consumer_rate\{group="fast"\} [1-9]/m);

    await subscription.stop();
    monitor.stop();
    await bus.close();
  });
});
