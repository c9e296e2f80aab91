// A token rotated while a page is open: the gateway restarts with a new token, the page's stream is refused, and
// the page shows the login saying so, with nothing of what it showed before; the new token signs it in again.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { waitFor } from '../support/busFixtures.js';
import { repoRoot, tcrBin } from '../support/runTcr.js';
import { useSuiteTempDir } from '../support/tempDir.js';

const CHROMIUM = process.env.TCR_CHROMIUM ?? '/usr/bin/chromium';
const OLD_TOKEN = 'old-token-0123456789abcdef';
const NEW_TOKEN = 'new-token-fedcba9876543210';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('e2e > token rotated while the control room is open', () => {
  const temp = useSuiteTempDir();
  let browser: Browser;
  let server: ChildProcess | null = null;
  let config = '';
  let url = '';

  const startServer = async (token: string): Promise<void> => {
    let log = '';
    server = spawn(process.execPath, [tcrBin, 'server', '--config', config, '--roles', 'results,gateway', '--log-format', 'json'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TCR_GATEWAY_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    server.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    await waitFor(() => log.includes('is running:'), 60_000, `the server to start: ${log.slice(-500)}`);
  };
  const stopServer = async (): Promise<void> => {
    const running = server;
    server = null;
    if (!running || running.exitCode !== null) return;
    running.kill('SIGTERM');
    await new Promise((resolve) => running.once('close', resolve));
  };

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    config = temp.write('tcr.yaml', stringify({ data_dir: temp.path('data'), gateway: { port, token: '${TCR_GATEWAY_TOKEN}' }, cameras: [{ id: 'cam-01', name: '人民路', url: '/nonexistent', enabled: false }] }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stopServer();
  });

  it('shows the login with the reason once the stream is refused, and the new token signs in again', async () => {
    await startServer(OLD_TOKEN);
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${url}/wall#token=${OLD_TOKEN}`);
    await page.waitForSelector('[data-testid=connection][data-state=live]');
    await page.waitForSelector('[data-testid=camera-tile][data-camera=cam-01]');

    await stopServer();
    await startServer(NEW_TOKEN);
    await page.waitForSelector('[data-testid=login-expired]', { timeout: 30_000 });
    expect(await page.locator('[data-testid=camera-tile]').count()).toBe(0);
    expect(await page.locator('[data-testid=nav-wall]').count()).toBe(0);
    expect(await page.getAttribute('[data-testid=connection]', 'data-state')).toBe('unauthorized');

    await page.fill('[data-testid=login] input', NEW_TOKEN);
    await page.click('[data-testid=login] button[type=submit]');
    await page.waitForSelector('[data-testid=connection][data-state=live]');
    await page.waitForSelector('[data-testid=camera-tile][data-camera=cam-01]');
    expect(errors).toEqual([]);
  }, 120_000);
});
