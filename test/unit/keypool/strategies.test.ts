import { describe, expect, it } from 'vitest';
import { createSelector, type Candidate } from '../../../backend/keypool/strategies.js';

const candidate = (name: string, extra: Partial<Candidate> = {}): Candidate => ({ name, priority: 0, weight: 1, inFlight: 0, ratePerSecond: 5, ...extra });

function counts(picks: (Candidate | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pick of picks) if (pick) out[pick.name] = (out[pick.name] ?? 0) + 1;
  return out;
}

describe('keypool > strategies', () => {
  it('round_robin spreads picks in proportion to weight, interleaved', () => {
    const selector = createSelector('round_robin');
    const keys = [candidate('a', { weight: 3 }), candidate('b', { weight: 1 })];
    const picks = Array.from({ length: 400 }, () => selector.pick(keys));
    expect(counts(picks)).toEqual({ a: 300, b: 100 });
    expect(picks.slice(0, 4).map((pick) => pick?.name).sort()).toEqual(['a', 'a', 'a', 'b']);
  });

  it('priority uses only the highest-priority keys offered', () => {
    const selector = createSelector('priority');
    const keys = [candidate('main-1', { priority: 5 }), candidate('main-2', { priority: 5 }), candidate('backup', { priority: 1 })];
    expect(counts(Array.from({ length: 100 }, () => selector.pick(keys)))).toEqual({ 'main-1': 50, 'main-2': 50 });
    expect(selector.pick([candidate('backup', { priority: 1 })])?.name).toBe('backup');
  });

  it('least_load picks the key with the fewest requests in flight per unit of rate', () => {
    const selector = createSelector('least_load');
    const keys = [candidate('busy', { inFlight: 4 }), candidate('fast', { inFlight: 4, ratePerSecond: 20 }), candidate('idle', { inFlight: 1 })];
    expect(selector.pick(keys)?.name).toBe('fast');
    expect(selector.pick([keys[0]!, keys[2]!])?.name).toBe('idle');
  });

  it('returns nothing when no key is offered', () => {
    for (const strategy of ['round_robin', 'least_load', 'priority'] as const) expect(createSelector(strategy).pick([])).toBeUndefined();
  });
});
