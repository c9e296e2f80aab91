// The settings API on a real gateway over a real config file: read, save (checked, whole, with a backup), refuse
// a stale save and a bad one with each problem at its field, and test a camera URL through the real detector.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startApp, type RunningApp } from '../../../backend/app.js';
import { loadAppConfig } from '../../../backend/config/index.js';
import type { SettingsView } from '../../../backend/contracts/index.js';
import { captureLogger } from '../../support/busFixtures.js';
import { imagesFolder, modelPath } from '../../support/sharedData.js';
import { useTempDir } from '../../support/tempDir.js';
import { json } from './gatewayHarness.js';

describe('gateway > settings', () => {
  const temp = useTempDir();
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  async function start(): Promise<{ file: string; call: (path: string, body?: unknown) => Promise<Response> }> {
    const file = temp.write(
      'site.yaml',
      `# 现场配置\n${stringify({ data_dir: temp.path('data'), gateway: { port: 0 }, cameras: [{ id: 'cam-01', name: '人民路', url: '/nonexistent.mp4', enabled: false }], detector: { model: { path: modelPath } } })}`,
    );
    app = await startApp(loadAppConfig(file, {}), ['results', 'gateway'], captureLogger().logger, { env: {}, configFile: file });
    const { url, token } = app.gateway!;
    const call = (path: string, body?: unknown): Promise<Response> =>
      fetch(`${url}${path}`, body === undefined ? { headers: { authorization: `Bearer ${token}` } } : { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { file, call };
  }

  it('shows the file\'s settings and saves a change into it whole, keeping the rest and a backup', async () => {
    const { file, call } = await start();
    const settings = (await (await call('/api/settings')).json()) as SettingsView;
    expect(settings).toMatchObject({ file, keys: [], keys_file: null, kafka_brokers: [], cameras: [{ id: 'cam-01', name: '人民路', enabled: false }] });
    const before = readFileSync(file, 'utf8');
    const saved = await call('/api/settings', { revision: settings.revision, cameras: [...settings.cameras, { id: 'gate-2', name: '东门', url: imagesFolder, fps: 1, enabled: true, loop: true }], alert_thresholds: { max_consumer_lag: 200 } });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ saved: true, restart_required: true });
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(before);
    expect(readFileSync(file, 'utf8')).toMatch(/^# 现场配置/);
    const reloaded = loadAppConfig(file, {});
    expect(reloaded.cameras.map((camera) => camera.id)).toEqual(['cam-01', 'gate-2']);
    expect(reloaded.alerts.system.max_consumer_lag).toBe(200);

    // The revision read before that save is stale now: refused, the file unchanged.
    const stale = await call('/api/settings', { revision: settings.revision, cameras: [] });
    expect(stale.status).toBe(409);
    expect(loadAppConfig(file, {}).cameras).toHaveLength(2);
  });

  it('answers a save that would not load with 422 and each problem at its field, and writes nothing', async () => {
    const { file, call } = await start();
    const settings = (await (await call('/api/settings')).json()) as SettingsView;
    const before = readFileSync(file, 'utf8');
    const bad = { revision: settings.revision, cameras: [{ ...settings.cameras[0]!, id: 'bad id!' }], kafka_brokers: ['not a broker'] };
    const checked = await call('/api/settings/check', bad);
    expect(checked.status).toBe(200);
    const paths = (answer: { problems: { path: string }[] }): string[] => answer.problems.map((problem) => problem.path).sort();
    expect(paths(await json(checked))).toEqual(['cameras[0].id', 'kafka_brokers[0]']);
    const refused = await call('/api/settings', bad);
    expect(refused.status).toBe(422);
    expect(paths(await json(refused))).toEqual(['cameras[0].id', 'kafka_brokers[0]']);
    expect((await json(call('/api/settings/check', { revision: settings.revision, cameras: settings.cameras }))).problems).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(existsSync(`${file}.bak`)).toBe(false);
    // Not the settings' shape at all: 400, before the file is looked at.
    expect((await call('/api/settings', { revision: settings.revision, cameras: 'all of them' })).status).toBe(400);
    expect((await call('/api/settings', { cameras: [] })).status).toBe(400);
  });

  it('tests a camera URL with one frame through the real model, and says why a broken one gave none', async () => {
    const { call } = await start();
    const found = await json(call('/api/settings/camera-test', { url: imagesFolder }));
    expect(found).toMatchObject({ ok: true, reason: null, frame_width: expect.any(Number) });
    expect(found.detections.length).toBeGreaterThan(0);
    expect(found.jpeg_b64).toMatch(/^\/9j\//);
    const broken = await json(call('/api/settings/camera-test', { url: temp.write('broken.mp4', 'not a video') }));
    expect(broken).toMatchObject({ ok: false, detections: [], jpeg_b64: null });
    expect(broken.reason).toMatch(/\S/);
    expect((await call('/api/settings/camera-test', { url: '' })).status).toBe(400);
  }, 60_000);

  it('has nothing to show or save in a process started without a config file', async () => {
    const file = temp.path('none.yaml');
    writeFileSync(file, stringify({ data_dir: temp.path('data'), gateway: { port: 0 } }));
    app = await startApp(loadAppConfig(file, {}), ['results', 'gateway'], captureLogger().logger, { env: {} });
    const answer = await fetch(`${app.gateway!.url}/api/settings`, { headers: { authorization: `Bearer ${app.gateway!.token}` } });
    expect(answer.status).toBe(404);
  });
});
