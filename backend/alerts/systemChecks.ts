// The system checks (the original design's "monitoring alerts"): which conditions hold, from this evaluation's
// metric samples and the previous one's. The same thresholds are exported as Prometheus alerting rules
// (docs/monitoring/), in the same metric names.
import type { RiskLevel } from '../contracts/index.js';
import { samplesOf, sumOf, type Sample } from './metricSamples.js';

export const SYSTEM_CHECKS = ['consumer_lag', 'available_keys', 'key_success_rate', 'result_latency_p95', 'camera_down', 'detection_shortfall', 'key_disabled', 'dlq_growth', 'results_store', 'process_down', 'broker_unreachable'] as const;
export type SystemCheck = (typeof SYSTEM_CHECKS)[number];

export interface SystemThresholds {
  maxConsumerLag: number;
  minAvailableKeys: number;
  minKeySuccessRate: number;
  maxP95LatencyMs: number;
  maxDeadLettersPerMin: number;
}

export interface Condition {
  check: SystemCheck;
  /** What it is about (a group and topic, a key, a camera; "" for the whole system): one alert per check and subject. */
  subject: string;
  level: RiskLevel;
  summary: string;
}

/**
 * Detection skipping more than this share of the frames its cameras deliver is short of CPU. A few skips come
 * with any burst of work (scene changes, reconnects); a steady share is a machine with too many cameras.
 */
export const MAX_SKIPPED_FRAME_SHARE = 0.05;

/** A p95 from fewer verdicts than this says nothing. */
const MIN_LATENCY_SAMPLES = 5;

/** The q quantile of cumulative histogram buckets, interpolated within its bucket as Prometheus' histogram_quantile. */
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

export function histogramBuckets(samples: readonly Sample[], name: string): { le: number; count: number }[] {
  return samplesOf(samples, `${name}_bucket`)
    .map((sample) => ({ le: sample.labels.le === '+Inf' ? Infinity : Number(sample.labels.le), count: sample.value }))
    .sort((a, b) => a.le - b.le);
}

function latencyConditions(now: readonly Sample[], before: readonly Sample[] | null, limits: SystemThresholds): Condition[] {
  const current = histogramBuckets(now, 'detection_to_result_latency_ms');
  const previous = new Map((before ? histogramBuckets(before, 'detection_to_result_latency_ms') : []).map((bucket) => [bucket.le, bucket.count]));
  // Only what was observed since the last evaluation: a slow hour yesterday is not today's alert.
  const window = current.map((bucket) => ({ le: bucket.le, count: bucket.count - (previous.get(bucket.le) ?? 0) }));
  const observed = window[window.length - 1]?.count ?? 0;
  if (observed < MIN_LATENCY_SAMPLES) return [];
  const p95 = histogramQuantile(window, 0.95)!;
  if (p95 <= limits.maxP95LatencyMs) return [];
  return [{ check: 'result_latency_p95', subject: '', level: 'high', summary: `p95 capture-to-stored latency ${Math.round(p95)} ms over the last ${observed} verdicts (limit ${limits.maxP95LatencyMs} ms)` }];
}

export function evaluateSystemChecks(now: readonly Sample[], before: readonly Sample[] | null, elapsedMs: number, limits: SystemThresholds): Condition[] {
  const conditions: Condition[] = [];

  const lagBy = new Map<string, number>();
  for (const sample of samplesOf(now, 'kafka_lag')) {
    const subject = `${sample.labels.group}/${sample.labels.topic}`;
    lagBy.set(subject, Math.max(lagBy.get(subject) ?? 0, sample.value));
  }
  for (const [subject, lag] of lagBy) {
    if (lag > limits.maxConsumerLag) conditions.push({ check: 'consumer_lag', subject, level: 'high', summary: `${subject} is ${lag} messages behind on a partition (limit ${limits.maxConsumerLag})` });
  }

  // Only where a key pool runs: a rules-only site has no keys to miss.
  const available = samplesOf(now, 'api_key_available_count')[0];
  if (available && available.value < limits.minAvailableKeys) {
    conditions.push({ check: 'available_keys', subject: '', level: available.value === 0 ? 'critical' : 'high', summary: `${available.value} API keys usable (at least ${limits.minAvailableKeys} wanted)` });
  }
  const requestsBy = new Map<string, number>();
  for (const sample of samplesOf(now, 'api_key_requests_total')) requestsBy.set(sample.labels.key!, (requestsBy.get(sample.labels.key!) ?? 0) + sample.value);
  for (const sample of samplesOf(now, 'api_key_success_rate')) {
    const key = sample.labels.key!;
    if ((requestsBy.get(key) ?? 0) > 0 && sample.value < limits.minKeySuccessRate) {
      conditions.push({ check: 'key_success_rate', subject: key, level: 'medium', summary: `key ${key} succeeds on ${(sample.value * 100).toFixed(1)}% of recent requests (limit ${limits.minKeySuccessRate * 100}%)` });
    }
  }
  for (const sample of samplesOf(now, 'api_key_state', { state: 'disabled' })) {
    if (sample.value === 1) conditions.push({ check: 'key_disabled', subject: sample.labels.key!, level: 'high', summary: `key ${sample.labels.key} was refused by the provider (401/403) and is disabled` });
  }

  conditions.push(...latencyConditions(now, before, limits));

  for (const sample of samplesOf(now, 'up')) {
    if (sample.value === 0) conditions.push({ check: 'process_down', subject: sample.labels.instance!, level: 'high', summary: `process ${sample.labels.instance} does not answer on its ops endpoint` });
  }

  for (const state of ['failed', 'reconnecting']) {
    for (const sample of samplesOf(now, 'camera_state', { state })) {
      if (sample.value === 1) conditions.push({ check: 'camera_down', subject: sample.labels.camera!, level: 'high', summary: `camera ${sample.labels.camera} is ${state}` });
    }
  }

  if (before && elapsedMs > 0) {
    conditions.push(...shortfallConditions(now, before));
    const perMinute = ((sumOf(now, 'dead_letters_total') - sumOf(before, 'dead_letters_total')) * 60_000) / elapsedMs;
    if (perMinute > limits.maxDeadLettersPerMin) {
      conditions.push({ check: 'dlq_growth', subject: '', level: 'medium', summary: `${perMinute.toFixed(1)} dead letters per minute (limit ${limits.maxDeadLettersPerMin})` });
    }
    const lagFailures = increaseOf(now, before, 'kafka_lag_read_failures_total');
    if (lagFailures > 0) conditions.push({ check: 'broker_unreachable', subject: '', level: 'critical', summary: `${lagFailures} readings of consumer lag failed since the last check: the Kafka brokers do not answer` });
    const writeFailures = sumOf(now, 'results_store_write_failures_total') - sumOf(before, 'results_store_write_failures_total');
    if (writeFailures > 0) conditions.push({ check: 'results_store', subject: '', level: 'critical', summary: `${writeFailures} verdicts could not be written to the results store (disk full, or the file locked)` });
  }
  return conditions;
}

/** How much a counter grew since the previous evaluation, series by series: a restarted process's reset is not a fall. */
function increaseOf(now: readonly Sample[], before: readonly Sample[], name: string): number {
  const keyOf = (sample: Sample): string => JSON.stringify(Object.entries(sample.labels).sort());
  const previous = new Map(samplesOf(before, name).map((sample) => [keyOf(sample), sample.value]));
  return samplesOf(now, name).reduce((sum, sample) => sum + Math.max(0, sample.value - (previous.get(keyOf(sample)) ?? 0)), 0);
}

/** Frames skipped since the previous evaluation against frames processed plus skipped, over all cameras. */
function shortfallConditions(now: readonly Sample[], before: readonly Sample[]): Condition[] {
  const byCamera = (samples: readonly Sample[], name: string) => new Map(samplesOf(samples, name).map((sample) => [sample.labels.camera!, sample.value]));
  const [skippedNow, skippedBefore] = [byCamera(now, 'camera_frames_skipped'), byCamera(before, 'camera_frames_skipped')];
  const [processedNow, processedBefore] = [byCamera(now, 'camera_frames_processed_total'), byCamera(before, 'camera_frames_processed_total')];
  let [skipped, processed, short] = [0, 0, 0];
  for (const [camera, value] of skippedNow) {
    // A restarted process starts its counters again: a camera whose count went down is left out this time.
    const skippedSince = value - (skippedBefore.get(camera) ?? value);
    const processedSince = (processedNow.get(camera) ?? 0) - (processedBefore.get(camera) ?? processedNow.get(camera) ?? 0);
    if (skippedSince < 0 || processedSince < 0) continue;
    skipped += skippedSince;
    processed += processedSince;
    if (skippedSince > 0) short++;
  }
  const share = skipped / Math.max(1, skipped + processed);
  if (share <= MAX_SKIPPED_FRAME_SHARE) return [];
  return [
    {
      check: 'detection_shortfall',
      subject: '',
      level: 'medium',
      summary: `detection skipped ${(share * 100).toFixed(1)}% of the frames (${skipped} of ${skipped + processed}, ${short} of ${skippedNow.size} cameras): the machine is short of CPU for its cameras (limit ${MAX_SKIPPED_FRAME_SHARE * 100}%)`,
    },
  ];
}
