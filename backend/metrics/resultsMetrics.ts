// Prometheus metrics of the results role: what it stored, what it found stored already, and the whole pipeline's
// latency from a frame's capture to its verdict's storage (ARCHITECTURE's detection_to_result_latency_ms). The
// results role sees every verdict of the cluster, so system_throughput and error_rate are measured here.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { systemClock, type Clock } from '../core/clock.js';
import type { ResultsStage } from '../results/resultsStage.js';

/** Throughput and error rate are over the last minute: long enough to be steady, short enough to alert on. */
const RATE_WINDOW_MS = 60_000;

const LATENCY_BUCKETS_MS = [100, 250, 500, 1000, 1500, 2000, 3000, 5000, 10_000, 20_000, 60_000];

export function registerResultsMetrics(stage: ResultsStage, registry: Registry, clock: Clock = systemClock): void {
  const stored = new Counter({ name: 'results_stored_total', help: 'Verdicts written to the results store', labelNames: ['risk_level'], registers: [registry] });
  const duplicates = new Counter({ name: 'results_duplicates_total', help: 'Verdicts whose task was stored already (a replay or a redelivery)', registers: [registry] });
  const pruned = new Counter({ name: 'results_pruned_total', help: 'Results deleted past results.retention_days', registers: [registry] });
  const latency = new Histogram({
    name: 'detection_to_result_latency_ms',
    help: "From a frame's capture to its verdict's storage, ms",
    buckets: LATENCY_BUCKETS_MS,
    registers: [registry],
  });
  // One entry per stored verdict of the window: [stored at, was a fallback].
  const recent: [number, boolean][] = [];
  const windowed = (): [number, boolean][] => {
    const since = clock.now() - RATE_WINDOW_MS;
    while (recent.length > 0 && recent[0]![0] < since) recent.shift();
    return recent;
  };
  new Gauge({
    name: 'system_throughput',
    help: 'Groups assessed and stored per second, over the last minute (all instances of the cluster)',
    registers: [registry],
    collect() {
      this.set(windowed().length / (RATE_WINDOW_MS / 1000));
    },
  });
  new Gauge({
    name: 'error_rate',
    help: 'Share of the last minute\'s verdicts the LLM gave none for (the rules fallback stood in); 0 without verdicts',
    registers: [registry],
    collect() {
      const window = windowed();
      this.set(window.length === 0 ? 0 : window.filter(([, fallback]) => fallback).length / window.length);
    },
  });
  const writeFailures = new Counter({ name: 'results_store_write_failures_total', help: 'Attempts to store a verdict that failed (disk full, file locked)', registers: [registry] });
  stage.events.on('write_failed', () => writeFailures.inc());
  const alerts = new Counter({ name: 'alerts_total', help: 'Risk alerts raised, folded into or resurfaced, by rule', labelNames: ['rule', 'change'], registers: [registry] });
  stage.events.on('stored', (event) => {
    stored.inc({ risk_level: event.risk_level });
    latency.observe(event.capture_to_stored_ms);
    windowed().push([clock.now(), event.status === 'fallback']);
  });
  stage.events.on('alert', ({ alert, change }) => alerts.inc({ rule: alert.rule, change }));
  stage.events.on('duplicate', () => duplicates.inc());
  stage.events.on('pruned', (event) => pruned.inc(event.count));
}
