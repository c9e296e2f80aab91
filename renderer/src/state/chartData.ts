// The pipeline view's charts, shaped from the stream's samples: pure functions, so what each chart plots is
// tested without a browser. Times are the samples' own (the gateway's clock), in milliseconds.
import type { PipelineSample } from '../../../backend/contracts/index.js';

export const LATENCY_TARGET_MS = 2000;

export interface LatencyPoint {
  at_ms: number;
  p50: number | null;
  p95: number | null;
}

export interface RatePoint {
  at_ms: number;
  throughput: number;
  /** Percent of the last minute's verdicts without an LLM verdict. */
  error_pct: number;
}

export interface LagSeries {
  /** One line per consumer group and topic, named `group · topic`. */
  names: string[];
  points: ({ at_ms: number } & Record<string, number>)[];
}

export interface LagBar {
  label: string;
  group: string;
  lag: number;
}

const lagName = (entry: { group: string; topic: string }): string => `${entry.group} · ${entry.topic}`;

export function latencySeries(samples: readonly PipelineSample[]): LatencyPoint[] {
  return samples.map((sample) => ({ at_ms: sample.at_ms, p50: sample.latency_ms.p50, p95: sample.latency_ms.p95 }));
}

export function rateSeries(samples: readonly PipelineSample[]): RatePoint[] {
  return samples.map((sample) => ({ at_ms: sample.at_ms, throughput: sample.throughput_per_s, error_pct: Math.round(sample.error_rate * 1000) / 10 }));
}

/** Lag summed over the partitions of each group and topic; a line missing from a sample is 0 there. */
export function lagSeries(samples: readonly PipelineSample[]): LagSeries {
  const names = [...new Set(samples.flatMap((sample) => sample.lag.map(lagName)))].sort();
  const points = samples.map((sample) => {
    const point: { at_ms: number } & Record<string, number> = { at_ms: sample.at_ms };
    for (const name of names) point[name] = 0;
    for (const entry of sample.lag) point[lagName(entry)] = (point[lagName(entry)] ?? 0) + entry.lag;
    return point;
  });
  return { names, points };
}

/** The latest lag of every partition, largest first, so the backlog that matters is on top. */
export function lagBars(sample: PipelineSample | undefined): LagBar[] {
  if (!sample) return [];
  return sample.lag
    .map((entry) => ({ label: `${entry.topic}/${entry.partition}`, group: entry.group, lag: entry.lag }))
    .sort((a, b) => b.lag - a.lag || a.label.localeCompare(b.label, 'en', { numeric: true }));
}

export function clockLabel(atMs: number): string {
  return new Date(atMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}
