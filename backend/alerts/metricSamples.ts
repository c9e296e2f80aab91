// A registry's metrics as flat samples (name, labels, value): what the system checks read, in the form Prometheus
// scrapes, so the checks and the exported alerting rules speak of the same series.
import type { Registry } from 'prom-client';
import { z } from 'zod';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** What another process's ops endpoint answers at /metrics/samples; a value JSON cannot carry (NaN) comes as null. */
export const sampleListSchema = z.object({
  samples: z.array(z.object({ name: z.string().min(1).max(200), labels: z.record(z.string(), z.string()), value: z.number().nullable() })).max(100_000),
});

/** Another process's samples from its ops endpoint (`baseUrl`/metrics/samples); null when it does not answer in time or answers something else. */
export async function fetchSamples(baseUrl: string, timeoutMs: number): Promise<Sample[] | null> {
  try {
    const response = await fetch(new URL('metrics/samples', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`), { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return null;
    const parsed = sampleListSchema.safeParse(await response.json());
    if (!parsed.success) return null;
    return parsed.data.samples.flatMap((sample) => (sample.value === null ? [] : [{ ...sample, value: sample.value }]));
  } catch {
    // Refused, timed out, not JSON: all the same to the reader, the process is not there.
    return null;
  }
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
