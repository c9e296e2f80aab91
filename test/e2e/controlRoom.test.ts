// The control room in real Chromium (Debian's, driven by playwright-core) against `tcr server` fed by the real
// pipeline: an image-folder camera through the real model, the embedded bus, llm-sim as the model behind the key
// pool. Screenshots of each view go to test-output/screenshots for a reviewer.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadAppConfig } from '../../backend/config/index.js';
import { generatedKeys, simApiKey, simKeyName } from '../../backend/llmsim/simKeys.js';
import { startLlmSim, type LlmSim } from '../../backend/llmsim/simServer.js';
import { waitFor } from '../support/busFixtures.js';
import { repoRoot, tcrBin } from '../support/runTcr.js';
import { imagesFolder, modelPath } from '../support/sharedData.js';
import { useSuiteTempDir } from '../support/tempDir.js';

const CHROMIUM = process.env.TCR_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = join(repoRoot, 'test-output', 'screenshots');

describe('e2e > control room in Chromium', () => {
  const temp = useSuiteTempDir();
  let sim: LlmSim;
  let server: ChildProcess;
  let browser: Browser;
  let url = '';
  let token = '';
  let serverLog = '';
  let configFile = '';

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    sim = await startLlmSim({ host: '127.0.0.1', port: 0, keys: generatedKeys(2, 20, 1200), latencyMs: 30, jitterMs: 10, errorRate: 0, malformedRate: 0, seed: 5 });
    // Revoked at the provider before the first task: the first request on it is refused, and the pool disables it.
    sim.revoke(simKeyName(0));
    const dataDir = temp.path('data');
    const keyFile = temp.write('api_keys.yaml', stringify({
        max_retry_per_key: 1,
        accounts: [{ name: 'acct-hz', rpm_limit: 2400 }],
        keys: [0, 1].map((index) => ({ name: simKeyName(index), api_key: `\${SIM_KEY_${index}}`, qps_limit: 20, rpm_limit: 1200, account: 'acct-hz' })),
      }));
    const config = (configFile = temp.write(
      'tcr.yaml',
      stringify({
        data_dir: dataDir,
        gateway: { port: 0 },
        cameras: [{ id: 'cam-01', name: '人民路路口', url: imagesFolder, fps: 2, loop: true }],
        detector: { model: { path: modelPath } },
        llm: { base_url: `${sim.url}/v1`, api_keys_file: keyFile, timeout_ms: 3000 },
        alerts: { rules: [{ name: 'any-risk', min_risk_level: 'low' }] },
        kafka: { lag_poll_ms: 1000 },
      }),
    ));
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SIM_KEY_0: simApiKey(simKeyName(0)), SIM_KEY_1: simApiKey(simKeyName(1)) };
    server = spawn(process.execPath, [tcrBin, 'server', '--config', config, '--log-format', 'json'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (chunk: Buffer) => (serverLog += chunk.toString('utf8')));
    server.stderr!.on('data', (chunk: Buffer) => (serverLog += chunk.toString('utf8')));
    await waitFor(() => /running: (http:\/\/\S+)/.test(serverLog), 60_000, 'the server to print its URL');
    url = /running: (http:\/\/\S+)/.exec(serverLog)![1]!;
    token = readFileSync(join(dataDir, 'gateway.token'), 'utf8').trim();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    await new Promise((resolve) => server?.once('close', resolve));
    await sim?.close();
  });

  async function openPage(): Promise<{ page: Page; errors: string[] }> {
    const page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })).newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    return { page, errors };
  }

  it('shows the camera on the wall with its boxes drawn, and every view renders without console errors', async () => {
    const { page, errors } = await openPage();
    await page.goto(`${url}/wall#token=${token}`);
    // The fragment is taken off the address bar once read.
    await expect.poll(() => new URL(page.url()).hash).toBe('');
    const tile = page.locator('[data-testid=camera-tile][data-camera=cam-01]');
    await expect.poll(async () => Number((await tile.getAttribute('data-detections')) ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getAttribute('[data-testid=connection]', 'data-state')).toBe('live');
    await page.screenshot({ path: join(SCREENSHOTS, 'wall.png') });
    // A tile opens the camera's detail: the larger picture with its boxes, and its stored verdicts.
    await tile.locator('button.tile-open').click();
    expect(new URL(page.url()).pathname).toBe('/wall/cam-01');
    const detail = page.locator('[data-testid=camera-detail][data-camera=cam-01]');
    await expect.poll(async () => Number((await detail.getAttribute('data-detections')) ?? 0), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.locator('[data-testid=camera-results] li').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'camera-detail.png') });
    for (const view of ['alerts', 'pipeline', 'keys', 'settings'] as const) {
      await page.click(`[data-testid=nav-${view}]`);
      expect(new URL(page.url()).pathname).toBe(`/${view}`);
      await page.screenshot({ path: join(SCREENSHOTS, `${view}.png`) });
    }
    // Each path loads the same page on its own too (a bookmark, a reload).
    for (const view of ['wall', 'wall/cam-01', 'alerts', 'pipeline', 'keys', 'settings']) {
      await page.goto(`${url}/${view}`);
      await page.waitForSelector('[data-testid=connection][data-state=live]');
    }
    expect(errors).toEqual([]);
  }, 90_000);

  it('acknowledges an alert from the keyboard, and the acknowledgement survives a reload', async () => {
    const { page, errors } = await openPage();
    await page.goto(`${url}/alerts#token=${token}`);
    await page.fill('[data-testid=operator]', '王工');
    const first = page.locator('[data-testid=alert-row]').first();
    await first.waitFor({ timeout: 30_000 });
    // Chosen by id before clicking: new alerts keep arriving and re-sort the list, so "the first row" moves.
    const id = await first.getAttribute('data-alert');
    const row = page.locator(`[data-testid=alert-row][data-alert="${id}"]`);
    await row.click({ timeout: 10_000 });
    // New alerts keep arriving and re-sort the list: the key acts on the alert chosen, wherever it moved.
    await expect.poll(() => row.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('a');
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 10_000 }).toBe('acknowledged');
    await page.reload();
    await expect.poll(() => page.locator(`[data-testid=alert-row][data-alert="${id}"]`).getAttribute('data-state'), { timeout: 10_000 }).toBe('acknowledged');

    // The detail shows the verdict behind the alert: its description and the recommended action.
    await page.locator(`[data-testid=alert-row][data-alert="${id}"]`).click();
    await expect.poll(async () => (await page.locator('[data-testid=alert-recommended-action]').textContent())?.trim().length ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
    expect((await page.locator('[data-testid=alert-description]').textContent())?.trim()).not.toBe('');
    await page.screenshot({ path: join(SCREENSHOTS, 'alert-detail.png') });
    // Filters: only resolved alerts (none yet), then the camera's own.
    await page.selectOption('[data-testid=filter-state]', 'resolved');
    await expect.poll(() => page.locator('[data-testid=alert-row]').count()).toBe(0);
    await page.selectOption('[data-testid=filter-state]', 'acknowledged');
    await expect.poll(() => page.locator('[data-testid=alert-row][data-state=acknowledged]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=alert-row]:not([data-state=acknowledged])').count()).toBe(0);
    await page.selectOption('[data-testid=filter-state]', '');
    await page.selectOption('[data-testid=filter-camera]', 'cam-01');
    expect(await page.locator('[data-testid=alert-row]').count()).toBeGreaterThan(0);
    // The critical-alert cue can be muted, and stays muted after a reload.
    await page.click('[data-testid=mute]');
    await page.reload();
    await expect.poll(() => page.getAttribute('[data-testid=mute]', 'aria-pressed')).toBe('true');
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows lag on the pipeline view, and a key the provider revoked as disabled', async () => {
    const { page, errors } = await openPage();
    await page.goto(`${url}/pipeline#token=${token}`);
    await page.waitForSelector('[data-testid=lag-table] tbody tr', { timeout: 20_000 });
    expect(await page.locator('[data-testid=lag-table] tbody tr').count()).toBeGreaterThan(0);
    // The charts draw lines once two samples are in, and the latency chart its 2 s target line.
    // (A line of zeros is flat, which Playwright calls hidden: the path's points are what count.)
    const curve = page.locator('[data-testid=chart-lag-series] path.recharts-line-curve').first();
    await expect.poll(async () => ((await curve.getAttribute('d').catch(() => null)) ?? '').split('L').length, { timeout: 20_000 }).toBeGreaterThan(1);
    await page.locator('[data-testid=chart-latency] .recharts-reference-line').waitFor({ state: 'attached' });
    // One bar per partition, named on the axis (a bar of lag 0 has no height to find).
    await expect.poll(() => page.locator('[data-testid=chart-lag-bars] .recharts-xAxis .recharts-cartesian-axis-tick').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'pipeline-charts.png'), fullPage: true });
    await page.click('[data-testid=nav-keys]');
    const health = async (): Promise<string> => JSON.stringify(await (await fetch(`${url}/api-key-pool/health`, { headers: { authorization: `Bearer ${token}` } })).json());
    await page.waitForSelector(`[data-testid=key-row][data-key="${simKeyName(0)}"][data-state=disabled]`, { timeout: 30_000 }).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\nkey pool: ${await health()}\nsim: ${JSON.stringify(await (await fetch(`${sim.url}/stats`)).json()).slice(0, 1500)}`);
    });
    // Per account: of the account's two keys only the one not revoked is usable.
    expect(await page.locator('[data-testid=account-row][data-account=acct-hz] td').nth(1).textContent()).toBe('1');
    await page.screenshot({ path: join(SCREENSHOTS, 'keys-disabled.png') });
    expect(errors).toEqual([]);
  }, 60_000);

  it('adds a camera in the settings, tests it through the detector, shows a problem at its field, and saves to the config file', async () => {
    const { page, errors } = await openPage();
    await page.goto(`${url}/settings#token=${token}`);
    await page.locator('[data-testid=camera-row][data-camera=cam-01]').waitFor();
    expect(await page.locator('[data-testid=key-names] li').allTextContents()).toEqual([expect.stringContaining(simKeyName(0)), expect.stringContaining(simKeyName(1))]);
    await page.click('[data-testid=add-camera]');
    const row = page.locator('[data-testid=camera-row]').nth(1);
    await row.locator('[data-field=url]').fill(imagesFolder);
    await row.locator('[data-testid=camera-test-button]').click();
    await expect.poll(async () => Number((await row.locator('[data-testid=camera-test]').getAttribute('data-detections').catch(() => '0')) ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);
    // An id the config refuses: the save is refused and the problem is shown at that field.
    await row.locator('[data-field=id]').fill('东门 2');
    await page.click('[data-testid=save-settings]');
    await row.locator('[data-testid=field-problem]').waitFor();
    expect(await page.getAttribute('[data-testid=settings-status]', 'data-status')).toBe('invalid');
    expect(loadAppConfig(configFile, {}).cameras.map((camera) => camera.id)).toEqual(['cam-01']);
    await page.screenshot({ path: join(SCREENSHOTS, 'settings-problem.png'), fullPage: true });
    await row.locator('[data-field=id]').fill('gate-2');
    await page.fill('[data-testid=threshold-max_consumer_lag]', '250');
    await page.click('[data-testid=save-settings]');
    await expect.poll(() => page.getAttribute('[data-testid=settings-status]', 'data-status')).toBe('saved');
    const saved = loadAppConfig(configFile, {});
    expect(saved.cameras.map((camera) => [camera.id, camera.url])).toEqual([['cam-01', imagesFolder], ['gate-2', imagesFolder]]);
    expect(saved.alerts.system.max_consumer_lag).toBe(250);
    await page.screenshot({ path: join(SCREENSHOTS, 'settings.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 90_000);

  it('shows the login and no data for a wrong token, and renders both languages', async () => {
    const { page } = await openPage();
    await page.goto(`${url}/wall#token=not-the-token-at-all`);
    await page.waitForSelector('[data-testid=login]');
    expect(await page.locator('[data-testid=camera-tile]').count()).toBe(0);
    expect(await page.locator('[data-testid=nav-wall]').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'login.png') });
    await page.selectOption('[data-testid=language]', 'en');
    await page.waitForSelector('text=Sign in');
    await page.selectOption('[data-testid=language]', 'zh-CN');
    await page.waitForSelector('text=登录');
  }, 30_000);
});
