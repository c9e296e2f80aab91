import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot, tcrBin } from '../../support/runTcr.js';

describe('cli > tcr llm-sim', () => {
  it('serves the OpenAI-compatible API with generated keys and prints its counts when stopped', async () => {
    const child = spawn(process.execPath, [tcrBin, 'llm-sim', '--port', '0', '--keys', '2', '--latency-ms', '5', '--jitter-ms', '0', '--revoked', 'key-002'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /llm-sim on (http:\/\/[^/\s]+)\/v1/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`llm-sim exited with ${code}`)));
    });
    const call = (key: string) =>
      fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: JSON.stringify({ model: 'qwen-vl-plus', messages: [{ role: 'user', content: 'hi' }] }) });
    expect((await call('sk-sim-key-001')).status).toBe(200);
    expect((await call('sk-sim-key-002')).status).toBe(401);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const stats = JSON.parse(stdout.trim().split('\n').at(-1)!) as { totals: { ok: number; http_401: number } };
    expect(stats.totals).toMatchObject({ ok: 1, http_401: 1 });
  });
});
