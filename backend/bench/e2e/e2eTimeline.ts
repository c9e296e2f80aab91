// What `tcr bench e2e` samples while the site runs, every second: each consumer group's lag (a broker that does
// not answer gives none), the CPU each process used since the last sample, and the state of the camera a fault
// takes away. Throughput and latency over time come from the results store afterwards.
import type { Admin } from 'kafkajs';
import { fetchSamples, samplesOf } from '../../alerts/metricSamples.js';
import { readLag } from '../../bus/kafka/kafkaLag.js';
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
  measureCpu(): void;
  cpu(): CpuTally;
  stop(): Promise<void>;
}

async function cameraStateOf(opsUrl: string | null, camera: string): Promise<string | null> {
  // A detection process busy with 50 cameras can take a second or two to answer.
  const samples = opsUrl === null ? null : await fetchSamples(opsUrl, 5000);
  return samples ? (samplesOf(samples, 'camera_state', { camera }).find((sample) => sample.value === 1)?.labels.state ?? null) : null;
}

export function startTimeline(site: Site, admin: () => Admin, camera: string, brokerPid: () => number | null): Timeline {
  const samples: TimelineSample[] = [];
  const cpuSeconds: Record<string, number> = {};
  const lastTicks = new Map<number, number>();
  let cpuFrom: number | null = null;
  let running = true;
  const watched: [string, string][] = [
    [site.groups.expander, site.topics.detections],
    [site.groups.scheduler, site.topics.tasks],
    [site.groups.results, site.topics.results],
  ];
  const tallyCpu = (): void => {
    const pids: [string, number | null][] = [...[...site.processes.values()].map((entry) => [entry.role, entry.child.process.pid ?? null] as [string, number | null]), ['kafka-broker', brokerPid()], ['bench', process.pid]];
    for (const [role, pid] of pids) {
      if (pid === null) continue;
      const total = pid === process.pid ? process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 : processTreeCpuSeconds(pid);
      if (total === null) continue;
      const before = lastTicks.get(pid);
      lastTicks.set(pid, total);
      // A process first seen now (restarted) counts from here: its start-up before the sample is not in the window.
      if (before === undefined || cpuFrom === null) continue;
      cpuSeconds[role] = (cpuSeconds[role] ?? 0) + Math.max(0, total - before);
    }
  };
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      const lag: Record<string, number | null> = {};
      const camerasRead = cameraStateOf(site.processes.get('detection')?.opsUrl ?? null, camera);
      await Promise.all(
        watched.map(async ([group, topic]) => {
          try {
            lag[group] = (await readLag(admin(), group, topic)).reduce((sum, partition) => sum + partition.lag, 0);
          } catch {
            lag[group] = null;
          }
        }),
      );
      const cameraState = await camerasRead;
      tallyCpu();
      samples.push({ atMs: started, lag, cameraState });
      await new Promise((resolve) => setTimeout(resolve, Math.max(50, 1000 - (Date.now() - started))));
    }
  })();
  return {
    samples,
    measureCpu() {
      tallyCpu();
      cpuFrom = Date.now();
    },
    cpu: () => ({ seconds: { ...cpuSeconds }, wallS: cpuFrom === null ? 0 : (Date.now() - cpuFrom) / 1000 }),
    async stop() {
      running = false;
      await loop;
      tallyCpu();
    },
  };
}
