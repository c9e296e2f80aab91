import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/tempDir.js';
import { runTcr } from '../../support/runTcr.js';

describe('cli > tcr bench keypool', () => {
  const temp = useTempDir();

  it('runs the pool against llm-sim and writes the figures the acceptance reads', async () => {
    const out = temp.path('out.json');
    const run = await runTcr(['bench', 'keypool', '--keys', '3', '--key-qps', '5', '--key-rpm', '300', '--duration', '3', '--warmup', '1', '--revoke-one-at', '1.5', '--latency-ms', '30', '--jitter-ms', '10', '--json', out]);
    expect(run.code, run.stderr).toBe(0);
    const figures = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    for (const field of ['achieved_rps', 'capacity_rps', 'efficiency', 'http_429', 'failed', 'lease_wait_ms_p50', 'lease_wait_ms_p95']) {
      expect(typeof figures[field], field).toBe('number');
    }
    expect(figures.capacity_rps).toBeCloseTo((15 * 1.5 + 10 * 1.5) / 3, 3);
    expect(figures.failed).toBe(0);
    expect(figures.http_401).toBe(1);
    expect(Object.keys(figures.per_key as object)).toEqual(['key-001', 'key-002', 'key-003']);
    expect(figures.after_revoke).toMatchObject({ capacity_rps: 10, success_rate: 1 });
    expect(run.stdout).toMatch(/^efficiency\s+[\d.]+$/m);
  });

  it('runs three instances as processes of their own, sharing the keys by partition, without a 429', async () => {
    const out = temp.path('out.json');
    // The suite shares two cores with other test files: a wider jitter budget than the default absorbs their load.
    const args = ['--instances', '3', '--partitions', '32', '--keys', '4', '--duration', '6', '--warmup', '1', '--latency-ms', '100', '--jitter-ms', '50', '--slot-jitter-budget-ms', '80'];
    const run = await runTcr(['bench', 'keypool', ...args, '--json', out], {}, 120_000);
    expect(run.code, run.stderr).toBe(0);
    const figures = JSON.parse(readFileSync(out, 'utf8')) as { http_429: number; failed: number; efficiency: number; per_instance: { partitions: number; requests_ok: number }[]; per_key: Record<string, { max_in_1s: number }> };
    expect(figures).toMatchObject({ http_429: 0, failed: 0 });
    expect(figures.per_instance.map((instance) => instance.partitions)).toEqual([11, 11, 10]);
    for (const instance of figures.per_instance) expect(instance.requests_ok).toBeGreaterThan(0);
    for (const key of Object.values(figures.per_key)) expect(key.max_in_1s).toBeLessThanOrEqual(5);
    // Saturated: the cluster spends most of the grid (1.08 s per 5 requests with the 80 ms budget).
    expect(figures.efficiency).toBeGreaterThan(0.8);
  }, 150_000);

  it('exits 2 on a bad number', async () => {
    const run = await runTcr(['bench', 'keypool', '--key-qps', 'fast']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected a number > 0, got "fast"');
  });
});
