// How a free key is chosen among those that may be used right now.
import type { KEY_STRATEGIES } from '../config/index.js';

export type Strategy = (typeof KEY_STRATEGIES)[number];

export interface Candidate {
  name: string;
  priority: number;
  weight: number;
  inFlight: number;
  /** Sustained requests per second the key may send (its effective limits). */
  ratePerSecond: number;
}

/**
 * Smooth weighted round robin (as in nginx): each pick adds every candidate's weight to its score, takes the
 * highest and subtracts the total. Over time each key is chosen in proportion to its weight, evenly interleaved.
 */
export class WeightedRoundRobin {
  private readonly scores = new Map<string, number>();

  pick<C extends Candidate>(candidates: readonly C[]): C | undefined {
    let best: C | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    let total = 0;
    for (const candidate of candidates) {
      const score = (this.scores.get(candidate.name) ?? 0) + candidate.weight;
      this.scores.set(candidate.name, score);
      total += candidate.weight;
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    if (best) this.scores.set(best.name, bestScore - total);
    return best;
  }

  forget(name: string): void {
    this.scores.delete(name);
  }
}

export function createSelector(strategy: Strategy): { pick<C extends Candidate>(candidates: readonly C[]): C | undefined; forget(name: string): void } {
  const rotation = new WeightedRoundRobin();
  switch (strategy) {
    case 'round_robin':
      return rotation;
    case 'priority':
      return {
        pick: (candidates) => {
          const top = Math.max(...candidates.map((candidate) => candidate.priority));
          return rotation.pick(candidates.filter((candidate) => candidate.priority === top));
        },
        forget: (name) => rotation.forget(name),
      };
    case 'least_load':
      return {
        // Load = requests in flight per unit of sustained rate (weighted); ties rotate so equal keys share evenly.
        pick: (candidates) => {
          const load = (candidate: Candidate): number => candidate.inFlight / (candidate.ratePerSecond * candidate.weight || 1);
          const lowest = Math.min(...candidates.map(load));
          return rotation.pick(candidates.filter((candidate) => load(candidate) - lowest < 1e-9));
        },
        forget: (name) => rotation.forget(name),
      };
  }
}
