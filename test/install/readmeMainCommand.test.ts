// The README's main command, exactly as written there, on a fresh copy of this checkout: its own `npm ci`, then
// `npm start` with no config of its own, answering on 127.0.0.1:8080 with the token `tcr token` prints.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/busFixtures.js';
import { repoRoot } from '../support/runTcr.js';
import { useTempDir } from '../support/tempDir.js';

const GATEWAY = 'http://127.0.0.1:8080';

/** The command in the README's first sh block after "Run the main job". */
function readmeMainCommand(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const command = /Run the main job[^\n]*\n+```sh\n([^\n]+)\n```/.exec(readme)?.[1];
  if (!command) throw new Error('README.md has no sh block after "Run the main job"');
  return command;
}

/** What a clone would hold: the tracked files and new ones not ignored, as they are in this working tree. */
function copyCheckout(to: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    try {
      copyFileSync(join(repoRoot, file), join(to, file));
    } catch (error) {
      // A file deleted in the working tree but not yet in git is what a clone of the next commit will lack.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

async function getJson<T>(path: string, token: string): Promise<T> {
  const response = await fetch(`${GATEWAY}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

async function status(path: string, token?: string): Promise<number> {
  try {
    return (await fetch(`${GATEWAY}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })).status;
  } catch {
    return 0;
  }
}

describe('install > the README main command on a fresh copy', () => {
  const temp = useTempDir();

  it('npm ci && npm start answers on 8080 with the token tcr token prints (no log shows it); the bundled demo camera, model and rules assessor raise an alert', async () => {
    const command = readmeMainCommand();
    expect(command).toBe('npm ci && npm start');
    expect(await status('/healthz'), 'port 8080 must be free for this test').toBe(0);
    const checkout = temp.path('checkout');
    copyCheckout(checkout);
    // The machine quirks the README names; nothing else from this process's environment.
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip' };
    const child = spawn('sh', ['-c', command], { cwd: checkout, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let code: number | null | undefined;
    void exited.then((value) => (code = value));
    try {
      await waitFor(async () => code !== undefined || (await status('/healthz')) === 200, 900_000, 'npm ci && npm start to answer /healthz');
      expect(code, output.slice(-4000)).toBeUndefined();

      const token = spawnSync(process.execPath, ['bin/tcr.js', 'token'], { cwd: checkout, env, encoding: 'utf8' }).stdout.trim();
      expect(token).toBe(readFileSync(join(checkout, 'data/gateway.token'), 'utf8').trim());
      expect(await status('/metrics')).toBe(401);
      expect(await status('/api-key-pool/health')).toBe(401);
      expect(await status('/metrics', token)).toBe(200);
      expect(await status('/api-key-pool/health', token)).toBe(200);
      expect(output).toContain(`Traffic Control Room is running: ${GATEWAY}`);
      expect(output).not.toContain(token);

      // First start, no network and no keys: the demo camera decodes the bundled video, the bundled model finds
      // road users, the rules assessor judges their groups, and an alert is raised.
      type Camera = { id: string; state: string; detections: number };
      await waitFor(async () => (await getJson<{ cameras: Camera[] }>('/api/cameras', token)).cameras.some((c) => c.id === 'demo' && c.state === 'live' && c.detections > 0), 60_000, 'the demo camera live with detections');
      let alerts: { camera_id: string; level: string; summary: string }[] = [];
      await waitFor(async () => (alerts = (await getJson<{ alerts: typeof alerts }>('/api/alerts', token)).alerts).length > 0, 60_000, 'a first alert');
      expect(alerts[0]).toMatchObject({ camera_id: 'demo', level: expect.stringMatching(/^(high|critical)$/) });
      expect(alerts[0]!.summary).toMatch(/规则评估/);
      expect(output).not.toMatch(/model_download|model_missing/);
    } finally {
      // npm start's whole process group, as Ctrl-C in the terminal would.
      if (code === undefined) process.kill(-child.pid!, 'SIGINT');
    }
    await exited;
    expect(output).toMatch(/"msg":"stopped"|stopped/);
    expect(await status('/healthz')).toBe(0);
  });
});
