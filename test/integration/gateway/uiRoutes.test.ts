// The built UI as the gateway serves it: pages at every view's path without a token, assets by name only, nothing
// else of the disk, and a plain answer when the UI was never built.
import { mkdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startGatewayServer, type GatewayServer } from '../../../backend/gateway/gatewayServer.js';
import { PAGE_CSP, uiRoutes } from '../../../backend/gateway/routes/uiRoutes.js';
import { captureLogger } from '../../support/busFixtures.js';
import { useTempDir } from '../../support/tempDir.js';

describe('gateway > the UI it serves', () => {
  const temp = useTempDir();
  let server: GatewayServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  const start = async (uiDir: string): Promise<string> => {
    server = await startGatewayServer({ host: '127.0.0.1', port: 0, token: 't'.repeat(32), corsOrigins: [], maxBodyBytes: 1024 }, uiRoutes(uiDir), null, captureLogger().logger);
    return server.url;
  };

  it('serves the page at every view path and the assets by name, with a CSP, and nothing beside them', async () => {
    temp.write('secret.txt', 'not for the web');
    const ui = temp.path('ui');
    mkdirSync(`${ui}/assets`, { recursive: true });
    temp.write('ui/index.html', '<!doctype html><title>tcr</title>');
    temp.write('ui/assets/index-abc.js', 'console.log(1)');
    temp.write('ui/assets/notes.txt', 'not an asset type');
    const url = await start(ui);
    for (const path of ['/wall', '/alerts', '/pipeline', '/keys', '/settings', '/login']) {
      const page = await fetch(`${url}${path}`);
      expect([path, page.status, page.headers.get('content-type'), await page.text()]).toEqual([path, 200, 'text/html; charset=utf-8', '<!doctype html><title>tcr</title>']);
      expect(page.headers.get('content-security-policy')).toBe(PAGE_CSP);
      expect(PAGE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    }
    const root = await fetch(`${url}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/wall']);
    const script = await fetch(`${url}/assets/index-abc.js`);
    expect([script.status, script.headers.get('content-type'), await script.text()]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log(1)']);
    for (const path of ['/assets/notes.txt', '/assets/..%2F..%2Fsecret.txt', '/assets/%2e%2e%2fsecret.txt', '/assets/index.html', '/secret.txt']) {
      expect((await fetch(`${url}${path}`)).status, path).toBe(404);
    }
  });

  it('says what to run when the UI was never built', async () => {
    const url = await start(temp.path('nothing-here'));
    const page = await fetch(`${url}/wall`);
    expect(page.status).toBe(503);
    expect(((await page.json()) as { error: string }).error).toMatch(/not built .*npm run build:web/);
  });
});
