// The Prometheus rules and Grafana dashboard in docs/monitoring: what `tcr monitoring export` writes from the
// default thresholds, and naming only metrics a process running every role exports (llm-sim as the model).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startApp, type RunningApp } from '../../../backend/app.js';
import { DASHBOARD_FILE, monitoringFiles, RULES_FILE } from '../../../backend/cli/commands/monitoringCommand.js';
import { appConfigSchema } from '../../../backend/config/index.js';
import { generatedKeys, simApiKey, simKeyName } from '../../../backend/llmsim/simKeys.js';
import { startLlmSim, type LlmSim } from '../../../backend/llmsim/simServer.js';
import { captureLogger, waitFor } from '../../support/busFixtures.js';
import { repoRoot } from '../../support/runTcr.js';
import { imagesFolder, modelPath } from '../../support/sharedData.js';
import { useTempDir } from '../../support/tempDir.js';

const docs = join(repoRoot, 'docs/monitoring');
const PROMQL_WORDS = new Set(['sum', 'min', 'max', 'avg', 'count', 'rate', 'increase', 'histogram_quantile', 'by', 'without', 'and', 'or', 'unless', 'on', 'ignoring']);

/** Metric names in a PromQL expression: strings, label matchers, groupings and ranges removed, then words not PromQL's own. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"[^"]*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  return [...new Set(bare.match(/[A-Za-z_:][A-Za-z0-9_:]*/g) ?? [])].filter((word) => !PROMQL_WORDS.has(word));
}

describe('gateway > monitoring exports', () => {
  const temp = useTempDir();
  let sim: LlmSim | null = null;
  let app: RunningApp | null = null;
  afterEach(async () => {
    await app?.stop();
    await sim?.close();
    [app, sim] = [null, null];
  });

  it('docs/monitoring is what tcr monitoring export writes from the default thresholds', () => {
    for (const [name, text] of Object.entries(monitoringFiles(appConfigSchema.parse({}).alerts.system))) {
      expect(readFileSync(join(docs, name), 'utf8'), `${name}: run npm run docs:monitoring`).toBe(text);
    }
  });

  it('names only metrics a process with every role exports', async () => {
    const rules = parse(readFileSync(join(docs, RULES_FILE), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const dashboard = JSON.parse(readFileSync(join(docs, DASHBOARD_FILE), 'utf8')) as { panels: { targets: { expr: string }[] }[] };
    const exprs = [...rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr)), ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr))];
    const named = new Set(exprs.flatMap(metricNames));
    expect(named.size).toBeGreaterThan(10);

    sim = await startLlmSim({ host: '127.0.0.1', port: 0, keys: generatedKeys(2, 20, 1200), latencyMs: 20, jitterMs: 5, errorRate: 0, malformedRate: 0, seed: 1 });
    const keyFile = temp.write('api_keys.yaml', stringify({ keys: [0, 1].map((index) => ({ name: simKeyName(index), api_key: `\${SIM_KEY_${index}}`, qps_limit: 20, rpm_limit: 1200 })) }));
    const env = { SIM_KEY_0: simApiKey(simKeyName(0)), SIM_KEY_1: simApiKey(simKeyName(1)) };
    const config = appConfigSchema.parse({
      data_dir: temp.path('data'),
      gateway: { port: 0 },
      cameras: [{ id: 'cam-01', name: '路口', url: imagesFolder, fps: 4, loop: true }],
      detector: { model: { path: modelPath } },
      llm: { base_url: `${sim.url}/v1`, api_keys_file: keyFile },
      kafka: { lag_poll_ms: 200 },
    });
    app = await startApp(config, ['detection', 'expander', 'scheduler', 'results', 'gateway'], captureLogger().logger, { env });
    const metrics = async (): Promise<string> => (await fetch(`${app!.gateway!.url}/metrics`, { headers: { authorization: `Bearer ${app!.gateway!.token}` } })).text();
    // Every labelled series exists once something happened: a verdict stored, a lag read.
    await waitFor(async () => /detection_to_result_latency_ms_bucket/.test(await metrics()) && /kafka_lag\{/.test(await metrics()), 60_000, 'a verdict stored and a lag reading');
    const exported = new Set([...(await metrics()).matchAll(/^# TYPE (\S+) (\S+)/gm)].flatMap(([, name, type]) => (type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name!])));
    // `up` is Prometheus' own series, one per scrape target (process_down): no process exports it.
    expect([...named].filter((name) => !exported.has(name) && name !== 'up')).toEqual([]);
    expect(named.has('up')).toBe(true);
  }, 90_000);
});
