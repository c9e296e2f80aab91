// The system checks as a Prometheus alerting-rules file, thresholds from the site's config: sites that run the
// original design's Prometheus + Grafana stack get the same alerts, over every instance's metrics at once.
import type { AlertsConfig } from '../config/index.js';
import { MAX_SKIPPED_FRAME_SHARE, type SystemCheck } from './systemChecks.js';

interface PrometheusRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string; tcr_check: SystemCheck };
  annotations: { summary: string };
}

export function prometheusRules(system: AlertsConfig['system']): { groups: { name: string; rules: PrometheusRule[] }[] } {
  // The process raises a level condition once it held at two evaluations; Prometheus' `for` says the same.
  const held = `${system.evaluate_every_s * 2}s`;
  const rule = (alert: string, check: SystemCheck, severity: string, expr: string, summary: string, lasting: string | null = held): PrometheusRule => ({
    alert,
    expr,
    ...(lasting ? { for: lasting } : {}),
    labels: { severity, tcr_check: check },
    annotations: { summary },
  });
  return {
    groups: [
      {
        name: 'traffic-control-room',
        rules: [
          rule('TcrConsumerLag', 'consumer_lag', 'warning', `max by (group, topic) (kafka_lag) > ${system.max_consumer_lag}`, '{{ $labels.group }} is {{ $value }} messages behind on {{ $labels.topic }}'),
          rule('TcrAvailableKeysLow', 'available_keys', 'critical', `min(api_key_available_count) < ${system.min_available_keys}`, 'only {{ $value }} API keys usable'),
          rule('TcrKeySuccessRateLow', 'key_success_rate', 'warning', `api_key_success_rate < ${system.min_key_success_rate}`, 'key {{ $labels.key }} succeeds on {{ $value | humanizePercentage }} of requests'),
          rule(
            'TcrResultLatencyHigh',
            'result_latency_p95',
            'warning',
            `histogram_quantile(0.95, sum by (le) (rate(detection_to_result_latency_ms_bucket[5m]))) > ${system.max_p95_latency_ms}`,
            'p95 capture-to-stored latency {{ $value }} ms',
          ),
          rule('TcrCameraDown', 'camera_down', 'warning', 'camera_state{state=~"failed|reconnecting"} == 1', 'camera {{ $labels.camera }} is {{ $labels.state }}'),
          rule(
            'TcrDetectionShortfall',
            'detection_shortfall',
            'warning',
            `sum(increase(camera_frames_skipped[5m])) / (sum(increase(camera_frames_skipped[5m])) + sum(increase(camera_frames_processed_total[5m]))) > ${MAX_SKIPPED_FRAME_SHARE}`,
            'detection skips {{ $value | humanizePercentage }} of the frames: too many cameras for the machine',
          ),
          rule('TcrKeyDisabled', 'key_disabled', 'warning', 'api_key_state{state="disabled"} == 1', 'key {{ $labels.key }} was refused by the provider and is disabled', null),
          rule('TcrDeadLettersGrowing', 'dlq_growth', 'warning', `sum(increase(dead_letters_total[5m])) / 5 > ${system.max_dead_letters_per_min}`, '{{ $value }} dead letters per minute', null),
          rule('TcrProcessDown', 'process_down', 'warning', 'up{job=~"tcr.*"} == 0', 'process {{ $labels.instance }} does not answer'),
          rule('TcrBrokerUnreachable', 'broker_unreachable', 'critical', `increase(kafka_lag_read_failures_total[${held}]) > 0`, 'consumer lag cannot be read: the Kafka brokers do not answer', null),
          rule('TcrResultsStoreFailing', 'results_store', 'critical', 'increase(results_store_write_failures_total[5m]) > 0', 'verdicts could not be written to the results store', null),
        ],
      },
    ],
  };
}
