import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { runTcr } from '../../support/runTcr.js';
import { useTempDir } from '../../support/tempDir.js';

const broker = inject('kafkaBroker');

describe('cli > tcr bench bus against the real broker', () => {
  const temp = useTempDir();

  it('runs produce, consume and the transactional transform on Kafka and writes the figures', async () => {
    const out = temp.path('bus.json');
    const run = await runTcr(['bench', 'bus', '--brokers', broker, '--messages', '1000', '--transform-messages', '300', '--latency-samples', '5', '--json', out], {}, 120_000);
    expect(run.code, run.stderr).toBe(0);
    const figures = JSON.parse(readFileSync(out, 'utf8')) as Record<string, number | string>;
    expect(figures).toMatchObject({ bus: 'kafka', messages: 1000, partitions: 4, latency_samples: 5 });
    for (const rate of ['produce_msgs_s', 'consume_msgs_s', 'transform_msgs_s']) expect(Number(figures[rate])).toBeGreaterThan(0);
    expect(Number(figures.transform_latency_ms_p50)).toBeGreaterThan(0);
    expect(Number(figures.transform_latency_ms_p95)).toBeGreaterThanOrEqual(Number(figures.transform_latency_ms_p50));
  });
});
