// Prometheus metrics of the results role: what it stored, what it found stored already, and the whole pipeline's
// latency from a frame's capture to its verdict's storage (ARCHITECTURE's detection_to_result_latency_ms).
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ResultsStage } from '../results/resultsStage.js';

const LATENCY_BUCKETS_MS = [100, 250, 500, 1000, 1500, 2000, 3000, 5000, 10_000, 20_000, 60_000];

export function registerResultsMetrics(stage: ResultsStage, registry: Registry): void {
  const stored = new Counter({ name: 'results_stored_total', help: 'Verdicts written to the results store', labelNames: ['risk_level'], registers: [registry] });
  const duplicates = new Counter({ name: 'results_duplicates_total', help: 'Verdicts whose task was stored already (a replay or a redelivery)', registers: [registry] });
  const pruned = new Counter({ name: 'results_pruned_total', help: 'Results deleted past results.retention_days', registers: [registry] });
  const latency = new Histogram({
    name: 'detection_to_result_latency_ms',
    help: "From a frame's capture to its verdict's storage, ms",
    buckets: LATENCY_BUCKETS_MS,
    registers: [registry],
  });
  stage.events.on('stored', (event) => {
    stored.inc({ risk_level: event.risk_level });
    latency.observe(event.capture_to_stored_ms);
  });
  stage.events.on('duplicate', () => duplicates.inc());
  stage.events.on('pruned', (event) => pruned.inc(event.count));
}
