// Pipeline status from this process's live metrics: lag per group, topic and partition, consumer rates,
// throughput and error rate, capture-to-stored latency percentiles, and dead letters with their latest reasons.
import type { MetricObjectWithValues, MetricValue, MetricValueWithName, Registry } from 'prom-client';
import type { PipelineSample } from '../contracts/index.js';

type Metric = MetricObjectWithValues<MetricValue<string>> | MetricObjectWithValues<MetricValueWithName<string>>;

const RECENT_DEAD_LETTERS = 20;

/** The `q` quantile of a cumulative histogram, interpolated inside its bucket (as Prometheus' histogram_quantile). */
export function histogramQuantile(buckets: readonly { le: number; count: number }[], q: number): number | null {
  const total = buckets[buckets.length - 1]?.count ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const bucket of buckets) {
    if (bucket.count >= rank) {
      if (!Number.isFinite(bucket.le)) return lower;
      const inBucket = bucket.count - below;
      return inBucket === 0 ? bucket.le : lower + ((bucket.le - lower) * (rank - below)) / inBucket;
    }
    lower = bucket.le;
    below = bucket.count;
  }
  return lower;
}

export function createPipelineStatus(registry: Registry, now: () => number) {
  const recent: PipelineSample['recent_dead_letters'] = [];

  const values = (metrics: Metric[], name: string): MetricValue<string>[] => (metrics.find((metric) => metric.name === name)?.values as MetricValue<string>[] | undefined) ?? [];
  const single = (metrics: Metric[], name: string): number => values(metrics, name)[0]?.value ?? 0;

  return {
    deadLetter(letter: { stage: string; topic: string; code: string; reason: string }): void {
      recent.unshift({ at_ms: now(), ...letter });
      recent.length = Math.min(recent.length, RECENT_DEAD_LETTERS);
    },
    async sample(): Promise<PipelineSample> {
      const metrics = (await registry.getMetricsAsJSON()) as Metric[];
      const latencyBuckets = (values(metrics, 'detection_to_result_latency_ms') as MetricValueWithName<string>[])
        .filter((value) => value.metricName === 'detection_to_result_latency_ms_bucket')
        .map((value) => ({ le: value.labels.le === '+Inf' ? Infinity : Number(value.labels.le), count: value.value }))
        .sort((a, b) => a.le - b.le);
      return {
        at_ms: now(),
        lag: values(metrics, 'kafka_lag').map((value) => ({ group: String(value.labels.group), topic: String(value.labels.topic), partition: Number(value.labels.partition), lag: value.value })),
        consumer_rate: values(metrics, 'kafka_consumer_rate').map((value) => ({ group: String(value.labels.group), per_second: value.value })),
        throughput_per_s: single(metrics, 'system_throughput'),
        error_rate: single(metrics, 'error_rate'),
        latency_ms: { p50: histogramQuantile(latencyBuckets, 0.5), p95: histogramQuantile(latencyBuckets, 0.95), p99: histogramQuantile(latencyBuckets, 0.99) },
        dead_letters: values(metrics, 'dead_letters_total').map((value) => ({ stage: String(value.labels.stage), code: String(value.labels.code), count: value.value })),
        recent_dead_letters: [...recent],
      };
    },
  };
}

export type PipelineStatus = ReturnType<typeof createPipelineStatus>;
