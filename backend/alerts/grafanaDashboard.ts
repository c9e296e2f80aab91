// A Grafana dashboard of the pipeline for sites with the original design's Prometheus + Grafana stack: the
// figures the control room's pipeline view shows, with the system checks' thresholds drawn in.
import type { AlertsConfig } from '../config/index.js';

interface Target {
  expr: string;
  legendFormat: string;
}

function panel(id: number, title: string, unit: string, targets: Target[], threshold: number | null, x: number, y: number) {
  return {
    id,
    type: 'timeseries',
    title,
    datasource: { type: 'prometheus', uid: '${DS_PROMETHEUS}' },
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: {
      defaults: {
        unit,
        thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, ...(threshold === null ? [] : [{ color: 'red', value: threshold }])] },
        custom: { thresholdsStyle: { mode: threshold === null ? 'off' : 'line' } },
      },
      overrides: [],
    },
    targets: targets.map((target, index) => ({ refId: String.fromCharCode(65 + index), ...target })),
  };
}

export function grafanaDashboard(system: AlertsConfig['system']) {
  const rows: [string, string, Target[], number | null][] = [
    ['Groups assessed per second', 'reqps', [{ expr: 'sum(system_throughput)', legendFormat: 'assessed/s' }], null],
    ['Verdicts without an LLM answer', 'percentunit', [{ expr: 'max(error_rate)', legendFormat: 'fallback share' }], null],
    [
      'Capture to stored latency',
      'ms',
      [
        { expr: 'histogram_quantile(0.5, sum by (le) (rate(detection_to_result_latency_ms_bucket[5m])))', legendFormat: 'p50' },
        { expr: 'histogram_quantile(0.95, sum by (le) (rate(detection_to_result_latency_ms_bucket[5m])))', legendFormat: 'p95' },
      ],
      system.max_p95_latency_ms,
    ],
    ['Consumer lag', 'short', [{ expr: 'max by (group, topic) (kafka_lag)', legendFormat: '{{group}} on {{topic}}' }], system.max_consumer_lag],
    ['Consumer rate', 'short', [{ expr: 'sum by (group) (kafka_consumer_rate)', legendFormat: '{{group}}' }], null],
    ['Usable API keys', 'short', [{ expr: 'min(api_key_available_count)', legendFormat: 'available' }], system.min_available_keys],
    ['Key success rate', 'percentunit', [{ expr: 'min by (key) (api_key_success_rate)', legendFormat: '{{key}}' }], system.min_key_success_rate],
    ['Key latency', 'ms', [{ expr: 'max by (key) (api_key_avg_latency_ms)', legendFormat: '{{key}}' }], null],
    ['Dead letters per minute', 'short', [{ expr: 'sum by (stage, code) (increase(dead_letters_total[5m])) / 5', legendFormat: '{{stage}}: {{code}}' }], system.max_dead_letters_per_min],
    ['Cameras not live', 'short', [{ expr: 'sum by (state) (camera_state{state!="live"})', legendFormat: '{{state}}' }], null],
  ];
  return {
    __inputs: [{ name: 'DS_PROMETHEUS', label: 'Prometheus', type: 'datasource', pluginId: 'prometheus', pluginName: 'Prometheus' }],
    title: 'Traffic Control Room',
    uid: 'traffic-control-room',
    tags: ['traffic-control-room'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    refresh: '10s',
    time: { from: 'now-3h', to: 'now' },
    panels: rows.map(([title, unit, targets, threshold], index) => panel(index + 1, title, unit, targets, threshold, (index % 2) * 12, Math.floor(index / 2) * 8)),
  };
}
