// What the pipeline view's charts plot, from the stream's samples.
import { describe, expect, it } from 'vitest';
import type { PipelineSample } from '../../../backend/contracts/index.js';
import { lagBars, lagSeries, latencySeries, rateSeries } from '../../../renderer/src/state/chartData.js';

const sample = (at: number, lag: PipelineSample['lag'], fields: Partial<PipelineSample> = {}): PipelineSample => ({
  at_ms: at,
  lag,
  consumer_rate: [],
  throughput_per_s: 0,
  error_rate: 0,
  latency_ms: { p50: null, p95: null, p99: null },
  dead_letters: [],
  recent_dead_letters: [],
  ...fields,
});
const lag = (group: string, topic: string, partition: number, value: number) => ({ group, topic, partition, lag: value });

describe('renderer > chart data', () => {
  it('sums lag over partitions per group and topic, with 0 where a line is missing from a sample', () => {
    const series = lagSeries([
      sample(1000, [lag('expander', 'detection-results', 0, 5), lag('expander', 'detection-results', 1, 7)]),
      sample(3000, [lag('expander', 'detection-results', 0, 2), lag('scheduler', 'assessment-tasks', 3, 40)]),
    ]);
    expect(series.names).toEqual(['expander · detection-results', 'scheduler · assessment-tasks']);
    expect(series.points).toEqual([
      { at_ms: 1000, 'expander · detection-results': 12, 'scheduler · assessment-tasks': 0 },
      { at_ms: 3000, 'expander · detection-results': 2, 'scheduler · assessment-tasks': 40 },
    ]);
    expect(lagSeries([])).toEqual({ names: [], points: [] });
  });

  it('puts the largest partition backlog first, partitions in numeric order when equal', () => {
    const bars = lagBars(sample(1, [lag('g', 't', 10, 3), lag('g', 't', 2, 3), lag('g', 't', 1, 90)]));
    expect(bars.map((bar) => `${bar.label}=${bar.lag}`)).toEqual(['t/1=90', 't/2=3', 't/10=3']);
    expect(lagBars(undefined)).toEqual([]);
  });

  it('keeps latency gaps as null (no verdict yet) and gives the error rate in percent', () => {
    const samples = [sample(1, [], { latency_ms: { p50: null, p95: null, p99: null } }), sample(2, [], { latency_ms: { p50: 400, p95: 2600, p99: 3000 }, throughput_per_s: 4.5, error_rate: 0.1234 })];
    expect(latencySeries(samples)).toEqual([{ at_ms: 1, p50: null, p95: null }, { at_ms: 2, p50: 400, p95: 2600 }]);
    expect(rateSeries(samples)).toEqual([{ at_ms: 1, throughput: 0, error_pct: 0 }, { at_ms: 2, throughput: 4.5, error_pct: 12.3 }]);
  });
});
