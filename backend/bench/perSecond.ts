// Counts of events per second of a run, for figures over time (where a benchmark lost its rate, and when).

/** How many of `times` (epoch ms) fell into each second from `startedAt`; times before it are left out. */
export function perSecond(times: Iterable<number>, startedAt: number): number[] {
  const counts: number[] = [];
  for (const time of times) {
    if (time < startedAt) continue;
    const second = Math.floor((time - startedAt) / 1000);
    while (counts.length <= second) counts.push(0);
    counts[second]! += 1;
  }
  return counts;
}
