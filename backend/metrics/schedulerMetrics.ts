// Prometheus metrics of the scheduler role: assessments in flight, verdicts by how they were reached, latencies,
// tokens, and the LLM endpoint's circuit. Dead letters are counted by the bus metrics (stage="scheduler").
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { EndpointCircuit } from '../assess/endpointCircuit.js';
import type { Scheduler } from '../scheduler/schedulerStage.js';

const SECONDS_BUCKETS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 13, 20, 30, 60, 120];

export function registerSchedulerMetrics(scheduler: Scheduler, circuit: EndpointCircuit | null, registry: Registry): void {
  new Gauge({
    name: 'scheduler_tasks_in_flight',
    help: 'Assessments running in this instance now (bounded by scheduler.workers)',
    registers: [registry],
    collect() {
      this.set(scheduler.inFlight());
    },
  });
  const verdicts = new Counter({
    name: 'scheduler_verdicts_total',
    help: 'Verdicts written, by status (ok, fallback), assessor (llm, rules) and why the LLM gave none (llm_failure, "" when it did)',
    labelNames: ['status', 'assessor', 'llm_failure'],
    registers: [registry],
  });
  const taskLatency = new Histogram({
    name: 'scheduler_task_latency_seconds',
    help: "From a task's creation (enqueue) to its verdict",
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const llmLatency = new Histogram({
    name: 'scheduler_llm_latency_seconds',
    help: 'Time the LLM took to give a verdict (answering requests, repair included)',
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const tokens = new Counter({ name: 'scheduler_llm_tokens_total', help: 'Tokens the provider reported for assessments', registers: [registry] });
  scheduler.events.on('assessed', (event) => {
    verdicts.inc({ status: event.status, assessor: event.assessor, llm_failure: event.llmFailure ?? '' });
    taskLatency.observe(event.taskLatencyMs / 1000);
    if (event.llmLatencyMs !== null) llmLatency.observe(event.llmLatencyMs / 1000);
    if (event.tokens !== null) tokens.inc(event.tokens);
  });
  if (circuit === null) return;
  new Gauge({
    name: 'scheduler_llm_endpoint_circuit_open',
    help: '1 while the LLM endpoint circuit is open or probing (requests reach no server), else 0',
    registers: [registry],
    collect() {
      this.set(circuit.state() === 'closed' ? 0 : 1);
    },
  });
  new Gauge({
    name: 'scheduler_llm_endpoint_circuit_openings',
    help: 'Times the LLM endpoint circuit opened since start',
    registers: [registry],
    collect() {
      this.set(circuit.openings);
    },
  });
}
