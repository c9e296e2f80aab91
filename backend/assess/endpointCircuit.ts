// One circuit for the LLM endpoint as a whole, beside the key pool's per-key circuits: when requests over all keys
// keep reaching no server at all, waiting for a key is pointless, so tasks go to the fallback at once (or wait),
// and one request at a time probes whether the endpoint is back.
import type { Clock } from '../core/clock.js';
import type { LeaseOutcome } from '../keypool/outcome.js';

export interface EndpointCircuitSettings {
  failureThreshold: number;
  openMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

export class EndpointCircuit {
  private failures = 0;
  private openUntil = Number.NEGATIVE_INFINITY;
  private probing = false;
  private opened = 0;

  constructor(
    private readonly settings: EndpointCircuitSettings,
    private readonly clock: Clock,
  ) {}

  state(): CircuitState {
    if (this.failures < this.settings.failureThreshold) return 'closed';
    return this.clock.monotonic() < this.openUntil ? 'open' : 'half_open';
  }

  /** How often the circuit has opened since start (for metrics). */
  get openings(): number {
    return this.opened;
  }

  /** May a request go now? In half-open, only one: the probe. */
  tryAdmit(): boolean {
    const state = this.state();
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  /** When the next request may be tried (monotonic ms). */
  retryAt(): number {
    return Math.max(this.openUntil, this.clock.monotonic() + (this.probing ? 200 : 0));
  }

  record(outcome: LeaseOutcome): void {
    if (outcome.kind === 'cancelled') return;
    // Any HTTP answer, even a 429 or a 500, means the endpoint is there.
    const unreachable = outcome.kind === 'server' && outcome.status === null;
    const wasProbe = this.probing;
    this.probing = false;
    if (!unreachable) {
      this.failures = 0;
      return;
    }
    this.failures += 1;
    if (this.failures === this.settings.failureThreshold || (wasProbe && this.failures > this.settings.failureThreshold)) {
      this.openUntil = this.clock.monotonic() + this.settings.openMs;
      this.opened += 1;
    }
  }
}
