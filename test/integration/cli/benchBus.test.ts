import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runTcr } from '../../support/runTcr.js';
import { useTempDir } from '../../support/tempDir.js';

describe('cli > tcr bench bus (embedded bus; the Kafka run is in the kafka project)', () => {
  const temp = useTempDir();

  it('measures produce, consume and transform throughput of 2 KB messages and writes the figures', async () => {
    const out = temp.path('bus.json');
    const run = await runTcr(['bench', 'bus', '--messages', '500', '--transform-messages', '200', '--latency-samples', '5', '--json', out]);
    expect(run.code, run.stderr).toBe(0);
    const figures = JSON.parse(readFileSync(out, 'utf8')) as Record<string, number | string>;
    expect(figures).toMatchObject({ bus: 'embedded', messages: 500, transform_messages: 200 });
    expect(Math.abs(Number(figures.message_bytes) - 2048)).toBeLessThan(8);
    for (const rate of ['produce_msgs_s', 'consume_msgs_s', 'transform_msgs_s']) expect(Number(figures[rate])).toBeGreaterThan(0);
    expect(Number(figures.transform_latency_ms_p95)).toBeGreaterThanOrEqual(Number(figures.transform_latency_ms_p50));
    expect(Number(figures.transform_latency_ms_p50)).toBeGreaterThan(0);
  });
});
