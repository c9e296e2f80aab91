// Pipeline status from this process's live metrics: lag per group, topic and partition, consumer rates,
// throughput and error rate, capture-to-stored latency percentiles, and dead letters with their latest reasons.
import type { Registry } from 'prom-client';
import { readSamples, samplesOf, sumOf } from '../alerts/metricSamples.js';
import { histogramBuckets, histogramQuantile } from '../alerts/systemChecks.js';
import type { PipelineSample } from '../contracts/index.js';

const RECENT_DEAD_LETTERS = 20;

export function createPipelineStatus(registry: Registry, now: () => number) {
  const recent: PipelineSample['recent_dead_letters'] = [];
  return {
    deadLetter(letter: { stage: string; topic: string; code: string; reason: string }): void {
      recent.unshift({ at_ms: now(), stage: letter.stage, topic: letter.topic, code: letter.code, reason: letter.reason });
      recent.length = Math.min(recent.length, RECENT_DEAD_LETTERS);
    },
    async sample(): Promise<PipelineSample> {
      const samples = await readSamples(registry);
      const latency = histogramBuckets(samples, 'detection_to_result_latency_ms');
      return {
        at_ms: now(),
        lag: samplesOf(samples, 'kafka_lag').map(({ labels, value }) => ({ group: labels.group!, topic: labels.topic!, partition: Number(labels.partition), lag: value })),
        consumer_rate: samplesOf(samples, 'kafka_consumer_rate').map(({ labels, value }) => ({ group: labels.group!, per_second: value })),
        throughput_per_s: sumOf(samples, 'system_throughput'),
        error_rate: sumOf(samples, 'error_rate'),
        latency_ms: { p50: histogramQuantile(latency, 0.5), p95: histogramQuantile(latency, 0.95), p99: histogramQuantile(latency, 0.99) },
        dead_letters: samplesOf(samples, 'dead_letters_total').map(({ labels, value }) => ({ stage: labels.stage!, code: labels.code!, count: value })),
        recent_dead_letters: [...recent],
      };
    },
  };
}

export type PipelineStatus = ReturnType<typeof createPipelineStatus>;
