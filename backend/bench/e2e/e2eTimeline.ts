// What `tcr bench e2e` samples while the site runs, every second: each consumer group's lag (a broker that does
// not answer gives none), the CPU each process used since the last sample, and the state of the camera a fault
// takes away. Throughput and latency over time come from the results store afterwards.
import type { Admin } from 'kafkajs';
import { fetchSamples, samplesOf } from '../../alerts/metricSamples.js';
import { readLag } from '../../bus/kafka/kafkaLag.js';
import { singleFlight } from '../../core/singleFlight.js';
import { withTimeout } from '../../core/withTimeout.js';
import { processTreeCpuSeconds } from '../processCpu.js';
import type { Site } from './e2eSite.js';

export interface TimelineSample {
  atMs: number;
  /** Total lag per group, null while it could not be read. */
  lag: Record<string, number | null>;
  /** The faulted camera's state as its detection process reports it (null: not read). */
  cameraState: string | null;
}

export interface CpuTally {
  /** CPU seconds per process role (all its lives), and of the broker and the bench itself. */
  seconds: Record<string, number>;
  /** Wall seconds over which they were counted. */
  wallS: number;
}

export interface Timeline {
  readonly samples: TimelineSample[];
  /** Starts counting CPU from now (the measured window). */
  measureCpu(): Promise<void>;
  cpu(): CpuTally;
  stop(): Promise<void>;
}

async function cameraStateOf(opsUrl: string | null, camera: string): Promise<string | null> {
  // A detection process busy with 50 cameras can take a second or two to answer.
  const samples = opsUrl === null ? null : await fetchSamples(opsUrl, 5000);
  return samples ? (samplesOf(samples, 'camera_state', { camera }).find((sample) => sample.value === 1)?.labels.state ?? null) : null;
}

const LAG_READING_TIMEOUT_MS = 1500;

export function startTimeline(site: Site, admin: () => Admin, camera: string, brokerPid: () => number | null): Timeline {
  const samples: TimelineSample[] = [];
  const cpuSeconds: Record<string, number> = {};
  const lastTicks = new Map<string, number>();
  let cpuFrom: number | null = null;
  let running = true;
  const watched: [string, string][] = [
    [site.groups.expander, site.topics.detections],
    [site.groups.scheduler, site.topics.tasks],
    [site.groups.results, site.topics.results],
  ];
  const tallyCpu = async (): Promise<void> => {
    // Per host, one reading for all its processes (the broker and the bench are on this one).
    const entries = [...site.processes.values()];
    const hosts = [...new Set(entries.map((entry) => entry.host))];
    const readings: [role: string, key: string | null, seconds: number | null][] = [];
    for (const host of hosts) {
      const of = entries.filter((entry) => entry.host === host);
      const seconds = await host.cpuSeconds(of.map((entry) => entry.child)).catch(() => of.map(() => null));
      of.forEach((entry, index) => readings.push([entry.role, entry.child.pid === null ? null : `${entry.host.address}/${entry.child.pid}`, seconds[index] ?? null]));
    }
    const broker = brokerPid();
    if (broker !== null) readings.push(['kafka-broker', `local/${broker}`, processTreeCpuSeconds(broker)]);
    const own = process.cpuUsage();
    readings.push(['bench', 'local/bench', (own.user + own.system) / 1e6]);
    for (const [role, key, total] of readings) {
      if (key === null || total === null) continue;
      const before = lastTicks.get(key);
      lastTicks.set(key, total);
      // A process first seen now (restarted) counts from here: its start-up before the sample is not in the window.
      if (before === undefined || cpuFrom === null) continue;
      cpuSeconds[role] = (cpuSeconds[role] ?? 0) + Math.max(0, total - before);
    }
  };
  // While the broker is away the client retries a reading for half a minute: the sample goes on without it (the
  // lag unknown), so the camera's state is still read every second, and the next sample waits for the same reading.
  const lagReading = singleFlight<number>();
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      const lag: Record<string, number | null> = {};
      const camerasRead = cameraStateOf(site.processes.get('detection')?.opsUrl ?? null, camera);
      await Promise.all(
        watched.map(async ([group, topic]) => {
          try {
            lag[group] = await withTimeout(lagReading(group, async () => (await readLag(admin(), group, topic)).reduce((sum, partition) => sum + partition.lag, 0)), LAG_READING_TIMEOUT_MS, `the lag of ${group}`);
          } catch {
            lag[group] = null;
          }
        }),
      );
      const cameraState = await camerasRead;
      await tallyCpu();
      samples.push({ atMs: started, lag, cameraState });
      await new Promise((resolve) => setTimeout(resolve, Math.max(50, 1000 - (Date.now() - started))));
    }
  })();
  return {
    samples,
    async measureCpu() {
      await tallyCpu();
      cpuFrom = Date.now();
    },
    cpu: () => ({ seconds: { ...cpuSeconds }, wallS: cpuFrom === null ? 0 : (Date.now() - cpuFrom) / 1000 }),
    async stop() {
      running = false;
      await loop;
      await tallyCpu();
    },
  };
}
