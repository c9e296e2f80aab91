// Recent success rate and latency of one key, over the last N outcomes (not since start: operators need "now").
import type { OutcomeKind } from './outcome.js';

const OUTCOME_WINDOW = 200;

export class KeyStats {
  private readonly outcomes: boolean[] = [];
  private readonly latencies: number[] = [];
  requestsTotal = 0;
  successTotal = 0;

  record(kind: OutcomeKind, latencyMs: number): void {
    // A request's own fault or the caller's cancellation says nothing about the key.
    if (kind === 'client' || kind === 'cancelled') return;
    this.requestsTotal += 1;
    const ok = kind === 'success';
    if (ok) this.successTotal += 1;
    push(this.outcomes, ok);
    if (ok) push(this.latencies, latencyMs);
  }

  /** Fraction of recent requests that succeeded; 1 before any request (no evidence against the key). */
  successRate(): number {
    if (this.outcomes.length === 0) return 1;
    return this.outcomes.filter(Boolean).length / this.outcomes.length;
  }

  avgLatencyMs(): number | null {
    if (this.latencies.length === 0) return null;
    return this.latencies.reduce((sum, value) => sum + value, 0) / this.latencies.length;
  }

  p95LatencyMs(): number | null {
    if (this.latencies.length === 0) return null;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
  }
}

function push<T>(values: T[], value: T): void {
  values.push(value);
  if (values.length > OUTCOME_WINDOW) values.shift();
}
