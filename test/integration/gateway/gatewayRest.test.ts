// The gateway's HTTP API on a real port over a real results store: the token on every route but /healthz, the
// alert lifecycle, results history and crops, and requests another team's script could send by mistake.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../../../backend/app.js';
import { appConfigSchema } from '../../../backend/config/index.js';
import { captureLogger } from '../../support/busFixtures.js';
import { useTempDir } from '../../support/tempDir.js';
import { FOLD, json, startHarness, verdictAt, type Harness } from './gatewayHarness.js';

const T0 = Date.now() - 60_000;

function rawRequest(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('gateway > REST', () => {
  const temp = useTempDir();
  let harness: Harness | null = null;
  afterEach(async () => {
    await harness?.close();
    harness = null;
  });

  it('answers /healthz without a token and every other route only with it, the same for a near-miss token', async () => {
    harness = await startHarness(temp.path('data'));
    const { token } = harness;
    const routes = ['/readyz', '/metrics', '/api-key-pool/health', '/api/alerts', '/api/alerts/false-alarms', '/api/alerts/open-count', '/api/alerts/1', '/api/cameras', '/api/pipeline', '/api/cameras/cam-1/results', '/api/results/x/crop'];
    const healthz = await harness.get('/healthz', null);
    expect(healthz.status).toBe(200);
    expect(await healthz.json()).toEqual({ ok: true });
    const nearMiss = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const route of routes) {
      for (const given of [null, nearMiss, 'short', `${token} `.repeat(2)]) {
        const response = await harness.get(route, given);
        expect(response.status, `${route} with ${given === null ? 'no token' : 'a wrong token'}`).toBe(401);
        expect(await response.json()).toEqual({ error: expect.stringMatching(/^missing or wrong token/) });
      }
      const post = await harness.post('/api/alerts/1/acknowledge', { operator: 'x' }, nearMiss);
      expect(post.status).toBe(401);
    }
    const answers = await Promise.all(routes.map(async (route) => [route, (await harness!.get(route)).status]));
    expect(Object.fromEntries(answers)).toEqual({
      '/readyz': 200,
      '/metrics': 200,
      // No scheduler in this process: said plainly, with 200 (it is this process's pool health).
      '/api-key-pool/health': 200,
      '/api/alerts': 200,
      '/api/alerts/false-alarms': 200,
      '/api/alerts/open-count': 200,
      '/api/alerts/1': 404,
      '/api/cameras': 200,
      '/api/pipeline': 200,
      '/api/cameras/cam-1/results': 200,
      '/api/results/x/crop': 404,
    });
    expect(await json(harness.get('/api-key-pool/health'))).toEqual({ configured: false, reason: expect.stringContaining('no key pool in this process') });
    const metrics = await (await harness.get('/metrics')).text();
    for (const name of ['kafka_lag', 'kafka_consumer_rate', 'detection_to_result_latency_ms_bucket', 'system_throughput', 'error_rate']) expect(metrics).toContain(name);
    expect(harness.logLines().join('\n')).not.toContain(token);
  });

  it('keeps its token in data_dir readable by its owner only, and uses the same one after a restart', async () => {
    harness = await startHarness(temp.path('data'));
    const first = harness.token;
    expect(statSync(temp.path('data/gateway.token')).mode & 0o777).toBe(0o600);
    await harness.close();
    harness = await startHarness(temp.path('data'));
    expect(harness.token).toBe(first);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('takes an operator through acknowledge and resolve, with the audit log, and refuses what the state does not allow', async () => {
    harness = await startHarness(temp.path('data'));
    const { alert } = harness.writer.alerts.recordRisk(verdictAt(T0), 'high-risk', T0, FOLD);
    harness.writer.alerts.recordRisk(verdictAt(T0 + 1000), 'high-risk', T0 + 1000, FOLD);
    const list = await json(harness.get('/api/alerts?state=new'));
    expect(list.alerts).toMatchObject([{ id: alert.id, count: 2, state: 'new', camera_id: 'cam-1' }]);
    expect(await json(harness.get('/api/alerts/open-count'))).toEqual({ open: 1, by_level: { none: 0, low: 0, medium: 0, high: 1, critical: 0 } });

    const ack = await harness.post(`/api/alerts/${alert.id}/acknowledge`, { operator: '王工', comment: '已派人' });
    expect(ack.status).toBe(200);
    expect((await json(ack)).alert).toMatchObject({ state: 'acknowledged', owner: '王工' });
    expect((await harness.post(`/api/alerts/${alert.id}/acknowledge`, { operator: '王工' })).status).toBe(409);
    expect((await harness.post(`/api/alerts/${alert.id}/snooze`, { operator: '王工' })).status).toBe(400);
    expect((await harness.post(`/api/alerts/${alert.id}/snooze`, { operator: '王工', snooze_minutes: 100_000 })).status).toBe(400);
    expect((await harness.post(`/api/alerts/${alert.id}/resolve`, { operator: '李工', comment: '现场已清理' })).status).toBe(200);
    const detail = await json(harness.get(`/api/alerts/${alert.id}`));
    expect(detail.events.map((event: { action: string; actor: string }) => `${event.actor}:${event.action}`)).toEqual(['system:raised', 'system:folded', '王工:acknowledge', '李工:resolve']);

    const second = harness.writer.alerts.recordRisk(verdictAt(T0 + 2000, 'cam-2'), 'high-risk', T0 + 2000, FOLD).alert;
    expect((await harness.post(`/api/alerts/${second.id}/false-alarm`, { operator: '李工', comment: '树影' })).status).toBe(200);
    expect((await json(harness.get('/api/alerts/false-alarms'))).counts).toEqual([
      { camera_id: 'cam-2', rule: 'high-risk', false_alarms: 1, alerts: 1 },
      { camera_id: 'cam-1', rule: 'high-risk', false_alarms: 0, alerts: 1 },
    ]);
    // Resolved and false alarms are closed: nothing open is left for the tray to count.
    expect((await json(harness.get('/api/alerts/open-count'))).open).toBe(0);
  });

  it('answers bad requests with 400, 404, 405, 413 or 415 and what was wrong, never a stack or a crash', async () => {
    harness = await startHarness(temp.path('data'));
    const { alert } = harness.writer.alerts.recordRisk(verdictAt(T0), 'high-risk', T0, FOLD);
    const status = async (response: Promise<Response>): Promise<[number, string]> => {
      const answer = await response;
      return [answer.status, String(((await answer.json()) as { error: string }).error)];
    };
    expect(await status(harness.post(`/api/alerts/${alert.id}/acknowledge`, '{"operator": '))).toEqual([400, 'request body is not valid JSON']);
    expect(await status(harness.post(`/api/alerts/${alert.id}/acknowledge`, {}))).toEqual([400, expect.stringContaining('operator')]);
    expect(await status(harness.post(`/api/alerts/${alert.id}/acknowledge`, { operator: 'x', extra: 1 }))).toEqual([400, expect.stringContaining('extra')]);
    expect(await status(harness.post(`/api/alerts/${alert.id}/acknowledge`, { operator: 'x', comment: 'y'.repeat(70_000) }))).toEqual([413, 'request body over 65536 bytes']);
    expect(await status(harness.post('/api/alerts/424242/acknowledge', { operator: 'x' }))).toEqual([404, 'no alert 424242']);
    expect(await status(harness.post('/api/alerts/1e3/acknowledge', { operator: 'x' }))).toEqual([404, 'no alert 1000']);
    expect(await status(harness.post('/api/alerts/-1/acknowledge', { operator: 'x' }))).toEqual([404, 'no alert -1']);
    expect(await status(harness.post('/api/alerts/abc/resolve', { operator: 'x' }))).toEqual([404, 'no alert abc']);
    expect(await status(harness.get('/api/alerts?state=burning'))).toEqual([400, expect.stringContaining('unknown state burning')]);
    expect(await status(harness.get('/api/alerts?limit=0'))).toEqual([400, 'limit: a whole number from 1 to 500']);
    expect(await status(harness.get('/api/alerts?before=bm90IGEgY3Vyc29y'))).toEqual([400, 'before: not a cursor this API gave out']);
    expect(await status(harness.get('/api/nothing-here'))).toEqual([404, 'no route /api/nothing-here']);
    expect(await status(fetch(`${harness.url}/api/alerts`, { method: 'DELETE', headers: { authorization: `Bearer ${harness.token}` } }))).toEqual([405, 'DELETE is not allowed here']);
    const wrongType = await fetch(`${harness.url}/api/alerts/${alert.id}/comment`, { method: 'POST', headers: { authorization: `Bearer ${harness.token}`, 'content-type': 'text/plain' }, body: 'hi' });
    expect(wrongType.status).toBe(415);
    // Files are never served by path: whatever the id spells, it is a key to look up.
    for (const id of ['..%2F..%2F..%2Fetc%2Fpasswd', '%2e%2e%2fresults.sqlite', '..', '%00']) {
      const response = await harness.get(`/api/results/${id}/crop`);
      expect([404], id).toContain(response.status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    }
    // Raw bytes another program could send: a request target no URL parser takes, on HTTP and on the upgrade path.
    for (const target of ['http://[bad', '/ws?x=%E0%A4%A']) {
      const answer = await rawRequest(harness.url, `GET ${target} HTTP/1.1\r\nhost: x\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n`);
      expect(answer, target).toMatch(/^HTTP\/1\.1 (400|401|404) /);
    }
    expect(await rawRequest(harness.url, 'NOT-HTTP\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect((await harness.get('/healthz', null)).status).toBe(200);
  });

  it('pages a camera\'s results newest first with a cursor, and serves the crop of a verdict that kept one', async () => {
    harness = await startHarness(temp.path('data'));
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    const verdicts = Array.from({ length: 5 }, (_, i) => ({ ...verdictAt(T0 + i * 1000), crop_jpeg_b64: jpeg.toString('base64') }));
    verdicts.forEach((verdict, i) => harness!.writer.insert(verdict, T0 + i, i === 4));
    const first = await json(harness.get('/api/cameras/cam-1/results?limit=2'));
    expect(first.results.map((result: { task_id: string }) => result.task_id)).toEqual([verdicts[4]!.task_id, verdicts[3]!.task_id]);
    const second = await json(harness.get(`/api/cameras/cam-1/results?limit=2&before=${first.next}`));
    expect(second.results.map((result: { task_id: string }) => result.task_id)).toEqual([verdicts[2]!.task_id, verdicts[1]!.task_id]);
    const crop = await harness.get(`/api/results/${verdicts[4]!.task_id}/crop`);
    expect(crop.status).toBe(200);
    expect(crop.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await crop.arrayBuffer())).toEqual(jpeg);
    // A verdict that kept no picture: 204, nothing to show; an unknown one: 404.
    const noCrop = await harness.get(`/api/results/${verdicts[0]!.task_id}/crop`);
    expect([noCrop.status, (await noCrop.arrayBuffer()).byteLength]).toEqual([204, 0]);
    // One verdict, as an alert's detail shows it: its text and action, the crop left to its own route.
    const one = await json(harness.get(`/api/results/${verdicts[4]!.task_id}`));
    expect(one).toMatchObject({ task_id: verdicts[4]!.task_id, recommended_action: verdicts[4]!.recommended_action, description: verdicts[4]!.description, crop_jpeg_b64: null, stored_at_ms: T0 + 4 });
    expect((await harness.get('/api/results/no-such-task')).status).toBe(404);
  });

  it('sends no CORS grant to a foreign origin and refuses its preflight; a listed origin gets both', async () => {
    harness = await startHarness(temp.path('data'), { gateway: { port: 0, cors_origins: ['http://wall.example:3000'] } });
    const foreign = await harness.get('/api/alerts', undefined, { origin: 'http://evil.example' });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${harness.url}/api/alerts`, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } })).status).toBe(403);
    const listed = await harness.get('/api/alerts', undefined, { origin: 'http://wall.example:3000' });
    expect(listed.headers.get('access-control-allow-origin')).toBe('http://wall.example:3000');
    expect((await fetch(`${harness.url}/api/alerts`, { method: 'OPTIONS', headers: { origin: 'http://wall.example:3000' } })).status).toBe(204);
  });

  it('refuses to start on a damaged results store, naming the file and leaving it as it was', async () => {
    mkdirSync(temp.path('data'));
    const file = temp.write('data/results.sqlite', 'this is not a SQLite database, and it must survive');
    const config = appConfigSchema.parse({ data_dir: temp.path('data'), gateway: { port: 0 } });
    await expect(startApp(config, ['gateway'], captureLogger().logger, { env: {} })).rejects.toMatchObject({ code: 'result_store_unusable', message: expect.stringContaining(file) });
    expect(readFileSync(file, 'utf8')).toBe('this is not a SQLite database, and it must survive');
  });

  it('says which port is taken when another program holds it, and starts nothing', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    const config = appConfigSchema.parse({ data_dir: temp.path('data'), gateway: { port } });
    await expect(startApp(config, ['results', 'gateway'], captureLogger().logger, { env: {} })).rejects.toMatchObject({
      code: 'gateway_port_in_use',
      message: `gateway: 127.0.0.1:${port} is in use by another program (another tcr server?); stop it or set gateway.port`,
    });
    holder.close();
  });
});
