// A registry's metrics as flat samples (name, labels, value): what the system checks read, in the form Prometheus
// scrapes, so the checks and the exported alerting rules speak of the same series.
import type { Registry } from 'prom-client';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export async function readSamples(registry: Registry): Promise<Sample[]> {
  const metrics = await registry.getMetricsAsJSON();
  return metrics.flatMap((metric) =>
    (metric.values as { metricName?: string; labels: Record<string, string | number>; value: number }[]).map((value) => ({
      name: value.metricName ?? metric.name,
      labels: Object.fromEntries(Object.entries(value.labels).map(([key, label]) => [key, String(label)])),
      value: value.value,
    })),
  );
}

export function samplesOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
}

export function sumOf(samples: readonly Sample[], name: string): number {
  return samplesOf(samples, name).reduce((sum, sample) => sum + sample.value, 0);
}
