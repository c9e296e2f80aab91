// `tcr bench agent` as another host's share of an acceptance run: what it starts, writes and signals, and what it
// refuses (no token, anything but `tcr server`, names and files outside the run's folder). The whole split run
// through it is tested with a broker in test/integration/kafka/benchE2e.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBenchAgentProcess } from '../../support/benchAgentProcess.js';
import { useSuiteTempDir } from '../../support/tempDir.js';

const TOKEN = 'agent-test-token-0123456789';
const temp = useSuiteTempDir();
let agent: ChildProcess;
let url: string;

const call = async (method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<{ status: number; body: Record<string, unknown> }> => {
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  mkdirSync(temp.path('runs'), { recursive: true });
  ({ agent, url } = await startBenchAgentProcess(temp.path('runs'), TOKEN));
}, 60_000);

afterAll(async () => {
  if (agent.exitCode === null) agent.kill('SIGKILL');
});

describe('cli > tcr bench agent', () => {
  it('refuses to start without a token', async () => {
    const env = { ...process.env };
    delete env.TCR_BENCH_AGENT_TOKEN;
    const refused = spawn(process.execPath, ['bin/tcr.js', 'bench', 'agent', '--port', '0'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    refused.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    expect(await new Promise((resolve) => refused.once('close', resolve))).toBe(2);
    expect(err).toContain('TCR_BENCH_AGENT_TOKEN');
  });

  it('answers nothing without its token', async () => {
    expect((await call('POST', '/runs/r1', undefined, null)).status).toBe(401);
    expect((await call('POST', '/runs/r1', undefined, `${TOKEN}x`)).status).toBe(401);
  });

  it('writes files only into the run folder and starts nothing but tcr server', async () => {
    const { body } = await call('POST', '/runs/r1');
    const dir = body.dir as string;
    expect(existsSync(join(dir, 'logs'))).toBe(true);
    expect((await call('POST', '/runs/r1/files', { name: '../escape.yaml', content: 'x' })).status).toBe(400);
    expect((await call('POST', '/runs/nope/files', { name: 'a.yaml', content: 'x' })).status).toBe(404);
    const written = await call('POST', '/runs/r1/files', { name: 'a.yaml', content: 'data_dir: x\n' });
    expect(readFileSync(written.body.path as string, 'utf8')).toBe('data_dir: x\n');
    expect((await call('POST', '/runs/r1/processes', { name: 'sim', args: ['llm-sim', '--port', '0'] })).body.error).toMatch(/only `tcr server`/);
    const outside = temp.write('camera.mp4', 'not in the run');
    expect((await call('POST', '/runs/r1/camera-away', { file: outside, away: true })).status).toBe(400);
    expect(existsSync(outside)).toBe(true);
    expect((await call('POST', '/runs/r1', 'not json at all')).status).toBe(400);
  });

  it('runs a role, reports its output and CPU, and stops it on a signal', async () => {
    const { body } = await call('POST', '/runs/r2');
    const dir = body.dir as string;
    const config = (await call('POST', '/runs/r2/files', { name: 'expander.yaml', content: `data_dir: ${join(dir, 'data')}\ncameras: []\n` })).body.path as string;
    const { port } = (await call('GET', '/free-port')).body as { port: number };
    const started = await call('POST', '/runs/r2/processes', { name: 'expander', args: ['server', '--config', config, '--roles', 'expander', '--ops-port', String(port)] });
    expect(started.status).toBe(200);
    const id = started.body.id as number;
    let status: Record<string, unknown> = {};
    for (let tries = 0; tries < 100 && !String(status.stdout ?? '').includes('ops on'); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      status = (await call('GET', `/runs/r2/processes/${id}`)).body;
    }
    expect(status.stdout).toContain(`ops on http://127.0.0.1:${port}`);
    expect(status.exit).toBeNull();
    expect(status.cpu_seconds).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await call('POST', `/runs/r2/processes/${id}/signal`, { signal: 'SIGHUP' })).status).toBe(400);
    await call('POST', `/runs/r2/processes/${id}/signal`, { signal: 'SIGTERM' });
    for (let tries = 0; tries < 100 && !status.exit; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      status = (await call('GET', `/runs/r2/processes/${id}`)).body;
    }
    expect(status.exit).toEqual({ code: 0, signal: null });
    expect(readFileSync(join(dir, 'logs', 'expander.log'), 'utf8')).toContain('expander');
    expect((await call('DELETE', '/runs/r2', { keep_files: false })).body).toEqual({ killed: 0 });
    expect(existsSync(dir)).toBe(false);
  }, 60_000);

  it('kills its runs\' processes when it is stopped', async () => {
    const dir = (await call('POST', '/runs/r3')).body.dir as string;
    writeFileSync(join(dir, 'x.yaml'), `data_dir: ${join(dir, 'data')}\ncameras: []\n`);
    const started = await call('POST', '/runs/r3/processes', { name: 'expander', args: ['server', '--config', join(dir, 'x.yaml'), '--roles', 'expander'] });
    const pid = started.body.pid as number;
    expect(() => process.kill(pid, 0)).not.toThrow();
    agent.kill('SIGTERM');
    expect(await new Promise((resolve) => agent.once('exit', resolve))).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();
  }, 60_000);
});
