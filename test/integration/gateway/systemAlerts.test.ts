// A system alert raised and cleared by real metric changes: poison records on the real (embedded) bus make the
// results role dead-letter them, dead_letters_total grows, and the gateway's checks raise dlq_growth; once the
// poison stops, the next window clears it. Both changes reach a stream client too.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createBus } from '../../../backend/bus/createBus.js';
import { appConfigSchema } from '../../../backend/config/index.js';
import type { AlertView, StreamMessage } from '../../../backend/contracts/index.js';
import { WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../../backend/gateway/tokenCheck.js';
import { captureLogger, waitFor } from '../../support/busFixtures.js';
import { useTempDir } from '../../support/tempDir.js';
import { json, startHarness, type Harness } from './gatewayHarness.js';

describe('gateway > system alerts', () => {
  const temp = useTempDir();
  let harness: Harness | null = null;
  afterEach(async () => {
    await harness?.close();
    harness = null;
  });

  it('raises dlq_growth when dead letters pile up and clears it when they stop', async () => {
    const dataDir = temp.path('data');
    const system = { evaluate_every_s: 1, max_dead_letters_per_min: 30 };
    harness = await startHarness(dataDir, { alerts: { system } });
    const stream: StreamMessage[] = [];
    const socket = new WebSocket(`${harness.url.replace('http', 'ws')}/ws`, [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${harness.token}`]);
    socket.on('message', (data) => stream.push(JSON.parse(String(data)) as StreamMessage));
    await new Promise((resolve) => socket.once('open', resolve));

    // Another team's producer writing garbage to the verdicts topic, through a bus of its own on the same log.
    const config = appConfigSchema.parse({ data_dir: dataDir });
    const other = createBus(config, captureLogger().logger);
    await other.producer().send('risk-assessment-results', Array.from({ length: 20 }, (_, i) => ({ key: `cam-${i}`, value: i % 2 ? 'not json' : '{"schema_version":1}' })));
    const systemAlerts = async (): Promise<AlertView[]> => (await json(harness!.get('/api/alerts?kind=system'))).alerts as AlertView[];
    await waitFor(async () => (await systemAlerts()).some((alert) => alert.rule === 'dlq_growth' && alert.state === 'new'), 20_000, 'dlq_growth raised');
    await waitFor(async () => (await systemAlerts()).some((alert) => alert.rule === 'dlq_growth' && alert.state === 'resolved'), 20_000, 'dlq_growth cleared');
    await other.close();

    const [alert] = (await systemAlerts()).filter((entry) => entry.rule === 'dlq_growth');
    expect(alert).toMatchObject({ kind: 'system', subject: '', level: 'medium', summary: expect.stringMatching(/dead letters per minute \(limit 30\)$/) });
    const detail = await json(harness.get(`/api/alerts/${alert!.id}`));
    expect(detail.events.map((event: { actor: string; action: string }) => `${event.actor}:${event.action}`)).toEqual(['system:raised', 'system:cleared']);
    await waitFor(() => stream.filter((message) => message.type === 'alert' && message.alert.rule === 'dlq_growth').length === 2, 5000, 'both changes on the stream');
    const metrics = await (await harness.get('/metrics')).text();
    expect(metrics).toMatch(/dead_letters_total\{stage="results",code="[a-z_]+"\} \d+/);
    socket.close();
  });
});
