import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../support/busFixtures.js';
import { repoRoot, runTcr, tcrBin } from '../../support/runTcr.js';
import { imagesFolder, modelPath } from '../../support/sharedData.js';
import { useTempDir } from '../../support/tempDir.js';

function rows<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

function topicCounts(file: string): Record<string, number> {
  return Object.fromEntries(rows<{ topic: string; n: number }>(file, 'select topic, count(*) as n from messages group by topic').map((row) => [row.topic, row.n]));
}

function verdictTaskIds(busFile: string): string[] {
  return rows<{ value: Buffer }>(busFile, "select value from messages where topic = 'risk-assessment-results'").map((row) => (JSON.parse(row.value.toString()) as { task_id: string }).task_id);
}

function storedTaskIds(file: string): string[] {
  return rows<{ task_id: string }>(file, 'select task_id from results').map((row) => row.task_id);
}

describe('cli > tcr server (child process, embedded bus)', () => {
  const temp = useTempDir();

  it('runs detection, the expander, the scheduler (rules, no key file), results and the gateway from camera to stored verdict and alert, and stops cleanly on SIGTERM', async () => {
    const dataDir = temp.path('data');
    const config = temp.write(
      'tcr.yaml',
      [
        `data_dir: ${dataDir}`,
        'roles: [detection, expander, scheduler, results, gateway]',
        `llm: { api_keys_file: ${temp.path('no-keys.yaml')} }`,
        'cameras:',
        '  - { id: cam-01, name: 十字路口, url: "' + imagesFolder + '", fps: 4, loop: true }',
        `detector: { model: { path: "${modelPath}" } }`,
        'gateway: { port: 0 }',
        // Every verdict of a street with people and cars alerts, so one shows in the API.
        'alerts: { rules: [{ name: any-risk, min_risk_level: low }] }',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [tcrBin, 'server', '--config', config, '--log-format', 'json'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor(() => log.includes('"roles started"'), 30_000, 'start-up');
    await waitFor(() => existsSync(`${dataDir}/results.sqlite`) && storedTaskIds(`${dataDir}/results.sqlite`).length > 0, 30_000, 'verdicts in the results store');
    const url = /running: (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    expect(url, stdout).toBeDefined();
    const token = (await runTcr(['token', '--config', config])).stdout.trim();
    expect(token).toBe(readFileSync(`${dataDir}/gateway.token`, 'utf8').trim());
    const alerts = (await (await fetch(`${url}/api/alerts`, { headers: { authorization: `Bearer ${token}` } })).json()) as { alerts: { rule: string; camera_id: string }[] };
    expect(alerts.alerts[0]).toMatchObject({ rule: 'any-risk', camera_id: 'cam-01' });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // What the store holds came off the bus, and the file was closed consistent.
    const onBus = new Set(verdictTaskIds(`${dataDir}/bus.sqlite`));
    const stored = storedTaskIds(`${dataDir}/results.sqlite`);
    expect(stored.every((taskId) => onBus.has(taskId))).toBe(true);
    expect(new Set(stored).size).toBe(stored.length);
    const db = new Database(`${dataDir}/results.sqlite`, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(log).not.toMatch(/not available in this build/);
    expect(log).toMatch(/"roles":\["detection","expander","scheduler","results","gateway"\],"bus":"embedded"/);
    expect(log + stdout).not.toContain(token);
    expect(log).toMatch(/tasks are assessed by the rules assessor/);
    expect(log).toMatch(/"msg":"stopped"/);
    expect(topicCounts(`${dataDir}/bus.sqlite`)['detection-results']).toBeGreaterThan(0);
  });

  it('refuses an invalid config with file, field and reason, exit 2', async () => {
    const config = temp.write('bad.yaml', 'cameras:\n  - { id: cam-01, name: x, url: /x, fps: 0 }\n');
    const child = spawn(process.execPath, [tcrBin, 'server', '--config', config], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(2);
    expect(stderr).toMatch(/bad\.yaml:2:\d+: cameras\[0\]\.fps: /);
  });
});
