import { describe, expect, it } from 'vitest';
import { EndpointCircuit } from '../../../backend/assess/endpointCircuit.js';
import { FakeClock } from '../../support/fakeClock.js';

const unreachable = { kind: 'server' as const, latencyMs: 1, status: null, error: 'ECONNREFUSED' };
const answered = { kind: 'rate_limited' as const, latencyMs: 1, status: 429 };

describe('assess > endpointCircuit', () => {
  it('opens after consecutive requests reach no server, lets one probe through later, and closes on an answer', async () => {
    const clock = new FakeClock();
    const circuit = new EndpointCircuit({ failureThreshold: 3, openMs: 1000 }, clock);
    circuit.record(unreachable);
    circuit.record(unreachable);
    circuit.record(answered); // any HTTP answer, even a 429, means the endpoint is there
    circuit.record(unreachable);
    circuit.record(unreachable);
    expect(circuit.state()).toBe('closed');
    circuit.record(unreachable);
    expect(circuit.state()).toBe('open');
    expect(circuit.tryAdmit()).toBe(false);
    await clock.advance(1000);
    expect(circuit.state()).toBe('half_open');
    expect(circuit.tryAdmit()).toBe(true);
    expect(circuit.tryAdmit()).toBe(false); // one probe at a time
    circuit.record(unreachable);
    expect(circuit.state()).toBe('open'); // the probe failed: open again
    await clock.advance(1000);
    expect(circuit.tryAdmit()).toBe(true);
    circuit.record(answered);
    expect(circuit.state()).toBe('closed');
    expect(circuit.openings).toBe(2);
  });
});
