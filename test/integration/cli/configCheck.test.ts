import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/tempDir.js';
import { runTcr } from '../../support/runTcr.js';

const keys = { DASHSCOPE_KEY_001: 'sk-test-aaaa1111', DASHSCOPE_KEY_002: 'sk-test-bbbb2222' };

describe('cli > tcr config check', () => {
  const temp = useTempDir();

  it('accepts the example keys file, prints it normalized and masks every key', async () => {
    const run = await runTcr(['config', 'check', 'config/api_keys.example.yaml'], keys);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('name: key-001');
    expect(run.stdout).toContain('api_key: sk-…1111');
    expect(run.stdout).toContain('api_key: sk-…2222');
    for (const output of [run.stdout, run.stderr]) {
      expect(output).not.toContain('sk-test-aaaa1111');
      expect(output).not.toContain('sk-test-bbbb2222');
      expect(output).not.toContain('aaaa1111');
    }
  });

  it('exits 2 and names the misspelled field, without printing a key', async () => {
    const text = readFileSync('config/api_keys.example.yaml', 'utf8').replace('qps_limit: 5', 'qps_limt: 5');
    const file = temp.write('api_keys.yaml', text);
    const run = await runTcr(['config', 'check', file], keys);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+: keys\\[0\\]\\.qps_limt: unknown field`));
    expect(run.stdout + run.stderr).not.toContain('sk-test-aaaa1111');
  });

  it('exits 2 and names the variable when a key variable is unset', async () => {
    const run = await runTcr(['config', 'check', 'config/api_keys.example.yaml'], { DASHSCOPE_KEY_001: 'sk-test-aaaa1111' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('keys[1].api_key: environment variable DASHSCOPE_KEY_002 is not set');
    expect(run.stdout + run.stderr).not.toContain('sk-test-aaaa1111');
  });

  it('checks several files and reports the problems of each bad one', async () => {
    const bad = temp.write('app.yaml', 'gateway:\n  port: 99999\nrole: [gateway]\n');
    const run = await runTcr(['config', 'check', 'config/default.yaml', bad]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('# config/default.yaml: valid app config');
    expect(run.stderr).toMatch(/app\.yaml:2:3: gateway\.port: .*got 99999/);
    expect(run.stderr).toMatch(/app\.yaml:3:1: role: unknown field \(did you mean "roles"\?\)/);
  });

  it('masks camera URL credentials in the normalized output', async () => {
    const file = temp.write('app.yaml', 'cameras:\n  - id: cam-1\n    name: Gate\n    url: rtsp://viewer:${CAM_PASS}@192.0.2.10/s1\n');
    const run = await runTcr(['config', 'check', file], { CAM_PASS: 'hunter2-secret' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('url: rtsp://***@192.0.2.10/s1');
    expect(run.stdout).not.toContain('hunter2-secret');
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await runTcr(['frobnicate'])).code).toBe(2);
    expect((await runTcr(['config', 'check', '--kind', 'nope', 'config/default.yaml'])).code).toBe(2);
  });
});

describe('cli > tcr subcommands', () => {
  it('registers every subcommand of the architecture', async () => {
    const run = await runTcr(['--help']);
    expect(run.code).toBe(0);
    for (const name of ['server', 'scheduler', 'setup-kafka', 'bench', 'llm-sim', 'detect', 'config']) expect(run.stdout).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
  });
});
