// The system checks over metric samples: each threshold, windows measured between two evaluations, and what a
// process without a key pool or cameras does not alert on.
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../backend/alerts/metricSamples.js';
import { evaluateSystemChecks, histogramQuantile } from '../../../backend/alerts/systemChecks.js';

const LIMITS = { maxConsumerLag: 1000, minAvailableKeys: 2, minKeySuccessRate: 0.95, maxP95LatencyMs: 2000, maxDeadLettersPerMin: 10 };
const sample = (name: string, value: number, labels: Record<string, string> = {}): Sample => ({ name, value, labels });

function latency(counts: Record<string, number>): Sample[] {
  return Object.entries(counts).map(([le, count]) => sample('detection_to_result_latency_ms_bucket', count, { le }));
}

describe('alerts > system checks', () => {
  it('interpolates a quantile inside its bucket, as Prometheus does', () => {
    const buckets = [
      { le: 100, count: 0 },
      { le: 1000, count: 50 },
      { le: 2000, count: 100 },
      { le: Infinity, count: 100 },
    ];
    expect(histogramQuantile(buckets, 0.5)).toBe(1000);
    expect(histogramQuantile(buckets, 0.95)).toBe(1900);
    expect(histogramQuantile(buckets, 0.25)).toBe(550);
    expect(histogramQuantile([{ le: Infinity, count: 0 }], 0.5)).toBeNull();
  });

  it('raises nothing for a healthy process, nor for one without keys or cameras', () => {
    const healthy = [sample('kafka_lag', 12, { group: 'results', topic: 'risk-assessment-results', partition: '0' }), sample('api_key_available_count', 5), ...latency({ '1000': 40, '2000': 40, '+Inf': 40 })];
    expect(evaluateSystemChecks(healthy, healthy, 10_000, LIMITS)).toEqual([]);
    expect(evaluateSystemChecks([], null, 0, LIMITS)).toEqual([]);
  });

  it('names the group and topic behind, the keys short or failing or disabled, and the cameras down', () => {
    const now = [
      sample('kafka_lag', 10, { group: 'scheduler', topic: 'assessment-tasks', partition: '0' }),
      sample('kafka_lag', 1500, { group: 'scheduler', topic: 'assessment-tasks', partition: '7' }),
      sample('api_key_available_count', 1),
      sample('api_key_requests_total', 40, { key: 'k1', outcome: 'ok' }),
      sample('api_key_requests_total', 10, { key: 'k1', outcome: 'rate_limited' }),
      sample('api_key_success_rate', 0.8, { key: 'k1' }),
      // A key that never sent a request has no rate to judge.
      sample('api_key_success_rate', 0, { key: 'k-idle' }),
      sample('api_key_state', 1, { key: 'k2', state: 'disabled' }),
      sample('api_key_state', 0, { key: 'k1', state: 'disabled' }),
      sample('camera_state', 1, { camera: 'cam-3', state: 'failed' }),
      sample('camera_state', 1, { camera: 'cam-4', state: 'live' }),
    ];
    expect(evaluateSystemChecks(now, null, 0, LIMITS).map((condition) => [condition.check, condition.subject, condition.level])).toEqual([
      ['consumer_lag', 'scheduler/assessment-tasks', 'high'],
      ['available_keys', '', 'high'],
      ['key_success_rate', 'k1', 'medium'],
      ['key_disabled', 'k2', 'high'],
      ['camera_down', 'cam-3', 'high'],
    ]);
  });

  it('judges latency and dead letters on what happened since the previous evaluation only', () => {
    const before = [...latency({ '1000': 0, '5000': 100, '+Inf': 100 }), sample('dead_letters_total', 100, { stage: 'results', code: 'invalid_json' })];
    // 100 slow verdicts before; since then 20 fast ones, and 3 dead letters in 30 s.
    const now = [...latency({ '1000': 20, '5000': 120, '+Inf': 120 }), sample('dead_letters_total', 103, { stage: 'results', code: 'invalid_json' })];
    expect(evaluateSystemChecks(now, before, 30_000, LIMITS)).toEqual([]);
    const slow = [...latency({ '1000': 0, '5000': 110, '+Inf': 110 }), sample('dead_letters_total', 160, { stage: 'results', code: 'invalid_json' }), sample('results_store_write_failures_total', 2)];
    expect(evaluateSystemChecks(slow, [...before, sample('results_store_write_failures_total', 0)], 60_000, LIMITS).map((condition) => [condition.check, condition.summary])).toEqual([
      ['result_latency_p95', 'p95 capture-to-stored latency 4800 ms over the last 10 verdicts (limit 2000 ms)'],
      ['dlq_growth', '60.0 dead letters per minute (limit 10)'],
      ['results_store', '2 verdicts could not be written to the results store (disk full, or the file locked)'],
    ]);
  });

  it('names each process of the site that does not answer, and a broker whose lag cannot be read since the last evaluation', () => {
    const before = [sample('kafka_lag_read_failures_total', 3, { group: 'results', instance: 'results-1' }), sample('kafka_lag_read_failures_total', 9, { group: 'scheduler', instance: 'scheduler-2' })];
    const up = [sample('up', 1, { instance: 'results-1' }), sample('up', 0, { instance: 'scheduler-2' })];
    // scheduler-2 restarted: its counter starting again from 1 is not a failure; results-1 failed twice more.
    const now = [...up, sample('kafka_lag_read_failures_total', 5, { group: 'results', instance: 'results-1' }), sample('kafka_lag_read_failures_total', 0, { group: 'scheduler', instance: 'scheduler-2' })];
    expect(evaluateSystemChecks(now, before, 10_000, LIMITS).map((condition) => [condition.check, condition.subject, condition.level, condition.summary])).toEqual([
      ['process_down', 'scheduler-2', 'high', 'process scheduler-2 does not answer on its ops endpoint'],
      ['broker_unreachable', '', 'critical', '2 readings of consumer lag failed since the last check: the Kafka brokers do not answer'],
    ]);
    expect(evaluateSystemChecks([...up.slice(0, 1), ...before], before, 10_000, LIMITS)).toEqual([]);
  });

  it('names a detection shortfall when more than 5 % of the frames since the last evaluation were skipped', () => {
    const frames = (skipped: [number, number], processed: [number, number]) => [
      sample('camera_frames_skipped', skipped[0], { camera: 'a' }),
      sample('camera_frames_skipped', skipped[1], { camera: 'b' }),
      sample('camera_frames_processed_total', processed[0], { camera: 'a' }),
      sample('camera_frames_processed_total', processed[1], { camera: 'b' }),
    ];
    const before = frames([40, 0], [1000, 1000]);
    // Since then: 2 skipped of 62 (a burst): fine.
    expect(evaluateSystemChecks(frames([42, 0], [1030, 1030]), before, 30_000, LIMITS)).toEqual([]);
    // 9 skipped of 69, all on camera a: short.
    expect(evaluateSystemChecks(frames([49, 0], [1030, 1030]), before, 30_000, LIMITS).map((condition) => [condition.check, condition.summary])).toEqual([
      ['detection_shortfall', 'detection skipped 13.0% of the frames (9 of 69, 1 of 2 cameras): the machine is short of CPU for its cameras (limit 5%)'],
    ]);
    // A restarted detection process (counters back to 0) is not read as a shortfall.
    expect(evaluateSystemChecks(frames([3, 0], [10, 10]), before, 30_000, LIMITS)).toEqual([]);
  });
});
