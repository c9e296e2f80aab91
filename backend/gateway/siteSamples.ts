// The metric samples the gateway's system checks read: its own process's, and those of the site's other processes
// (schedulers, detection, results on other hosts) from their ops endpoints. Each scraped series gets an `instance`
// label, and every target an `up` sample (1 answered, 0 not), as Prometheus gives them, so one set of checks
// reads a whole site the way the exported alerting rules do.
import type { Registry } from 'prom-client';
import { fetchSamples, readSamples, type Sample } from '../alerts/metricSamples.js';

export interface ScrapeTarget {
  name: string;
  /** Base URL of its ops endpoints. */
  url: string;
}

async function scrape(target: ScrapeTarget, timeoutMs: number): Promise<Sample[] | null> {
  const samples = await fetchSamples(target.url, timeoutMs);
  return samples?.map((sample) => ({ ...sample, labels: { ...sample.labels, instance: target.name } })) ?? null;
}

export function siteSampleReader(registry: Registry, targets: readonly ScrapeTarget[], timeoutMs: number): () => Promise<Sample[]> {
  return async () => {
    const [own, scraped] = await Promise.all([readSamples(registry), Promise.all(targets.map((target) => scrape(target, timeoutMs)))]);
    const up = targets.map((target, index): Sample => ({ name: 'up', labels: { instance: target.name }, value: scraped[index] === null ? 0 : 1 }));
    return [...own, ...scraped.flatMap((samples) => samples ?? []), ...up];
  };
}
