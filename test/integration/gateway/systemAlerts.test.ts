// A system alert raised and cleared by real metric changes: poison records on the real (embedded) bus make the
// results role dead-letter them, dead_letters_total grows, and the gateway's checks raise dlq_growth; once the
// poison stops, the next window clears it. Both changes reach a stream client too. And a store that cannot
// write: the verdict and the failure still reach clients, and the failure is kept once the store recovers.
import Database from 'better-sqlite3';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createBus } from '../../../backend/bus/createBus.js';
import { appConfigSchema } from '../../../backend/config/index.js';
import { encodeMessage, riskAssessmentResultMessage, type AlertView } from '../../../backend/contracts/index.js';
import { startOpsServer, type OpsServer } from '../../../backend/ops/opsServer.js';
import { captureLogger, waitFor } from '../../support/busFixtures.js';
import { useTempDir } from '../../support/tempDir.js';
import { json, listen, startHarness, verdictAt, type Harness } from './gatewayHarness.js';

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
    const client = await listen(harness);

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
    await waitFor(() => client.of('alert').filter((message) => message.alert.rule === 'dlq_growth').length === 2, 5000, 'both changes on the stream');
    const metrics = await (await harness.get('/metrics')).text();
    expect(metrics).toMatch(/dead_letters_total\{stage="results",code="[a-z_]+"\} \d+/);
    client.socket.close();
  });

  it("reads the site's other processes from their ops endpoints: one that stops answering is process_down until it is back", async () => {
    // A scheduler process's ops endpoint (the real server, on a port of its own), with a dead-letter count of its own.
    const registry = new Registry();
    new Counter({ name: 'dead_letters_total', help: 'dead letters', labelNames: ['stage', 'code'], registers: [registry] }).inc({ stage: 'scheduler', code: 'invalid_json' }, 7);
    const { logger } = captureLogger();
    const views = { registry, health: () => ({ ok: true }), keyPoolHealth: () => null };
    let ops: OpsServer = await startOpsServer('127.0.0.1', 0, views, logger);
    const port = Number(new URL(ops.url).port);
    const scrape_targets = [{ name: 'scheduler-1', url: ops.url }];
    harness = await startHarness(temp.path('data'), { alerts: { system: { evaluate_every_s: 1, scrape_targets, scrape_timeout_ms: 500 } } });
    const processAlerts = async (): Promise<AlertView[]> => ((await json(harness!.get('/api/alerts?kind=system'))).alerts as AlertView[]).filter((alert) => alert.rule === 'process_down');
    const samples = await json(fetch(`${ops.url}/metrics/samples`));
    expect(samples.samples).toContainEqual({ name: 'dead_letters_total', labels: { stage: 'scheduler', code: 'invalid_json' }, value: 7 });
    // Answering: three evaluations, no alert.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await processAlerts()).toEqual([]);

    await ops.close();
    await waitFor(async () => (await processAlerts()).some((alert) => alert.state === 'new'), 20_000, 'process_down raised');
    expect((await processAlerts())[0]).toMatchObject({ subject: 'scheduler-1', level: 'high', summary: 'process scheduler-1 does not answer on its ops endpoint' });
    ops = await startOpsServer('127.0.0.1', port, views, logger);
    await waitFor(async () => (await processAlerts()).some((alert) => alert.state === 'resolved'), 20_000, 'process_down cleared');
    await ops.close();
  });

  it('when the store cannot take writes, a verdict still reaches connected clients and the failure is itself an alert', async () => {
    // A real SQLite fault: another program holding the write lock makes every write fail, as a full disk does.
    const dataDir = temp.path('data');
    harness = await startHarness(dataDir, { alerts: { system: { evaluate_every_s: 1 } } });
    const client = await listen(harness);
    const holder = new Database(`${dataDir}/results.sqlite`);
    holder.exec('BEGIN IMMEDIATE');
    const other = createBus(appConfigSchema.parse({ data_dir: dataDir }), captureLogger().logger);
    const verdict = verdictAt(Date.now() - 1000, 'cam-7');
    const encoded = encodeMessage(riskAssessmentResultMessage, verdict);
    if (!encoded.ok) throw new Error(encoded.error.message);
    await other.producer().send('risk-assessment-results', [{ key: 'cam-7', value: encoded.value }]);
    await waitFor(() => client.of('result').some((message) => message.result.task_id === verdict.task_id), 30_000, 'the unstored verdict on the stream');
    await waitFor(() => client.of('notice').some((message) => message.check === 'results_store'), 30_000, 'the store failure as a notice');
    holder.exec('ROLLBACK');
    holder.close();
    // Once the store takes writes again, the failure is kept as a system alert too.
    await waitFor(async () => (await json(harness!.get('/api/alerts?kind=system'))).alerts.some((alert: AlertView) => alert.rule === 'results_store'), 30_000, 'the results_store alert stored');
    await other.close();
    client.socket.close();
  }, 120_000);
});
