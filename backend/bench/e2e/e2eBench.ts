// `tcr bench e2e`: the acceptance run. The whole site as separate processes on a real broker, cameras looping
// real street footage, the faults injected on a schedule, then the accounting of every task the expander
// committed against the results store and the DLQ, and the figures against the original targets.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import type { BenchSeries } from '../../contracts/index.js';
import { AppError } from '../../core/errors.js';
import { fetchSamples, samplesOf, sumOf } from '../../alerts/metricSamples.js';
import { histogramBuckets, histogramQuantile } from '../../alerts/systemChecks.js';
import { readLag } from '../../bus/kafka/kafkaLag.js';
import type { LlmSimStats } from '../../llmsim/simServer.js';
import { deleteTopics } from '../deleteTopics.js';
import { waitUntil } from '../waitUntil.js';
import { account, readSiteRecords, readStore, readSystemAlertEvents } from './e2eAccounting.js';
import { injectFault, MALFORMED_PER_TOPIC, faultSchedule, type Fault, type FaultRecord } from './e2eFaults.js';
import { alertOfFault, e2eFigures, type Target } from './e2eFigures.js';
import { writeMalformed, type MalformedSent } from './e2eMalformed.js';
import { agentHost } from './e2eAgentHost.js';
import { cameraId } from './e2eCameras.js';
import { localHost, type SiteChild, type SiteHost } from './e2eHosts.js';
import { startSite, type PlaceableRole, type Site, type SiteOptions } from './e2eSite.js';
import { startTimeline } from './e2eTimeline.js';

/** The site's own settings, and the run's. */
export interface E2eBenchOptions extends SiteOptions {
  durationS: number;
  warmupS: number;
  faults: Fault[];
  /** Roles run on other hosts of the cluster: the URL of the `tcr bench agent` there. */
  agents: ReadonlyMap<PlaceableRole, string>;
  /** The agents' token (TCR_BENCH_AGENT_TOKEN). */
  agentToken: string | null;
  brokerControl: string[] | null;
  /** How long the bench waits, once intake stopped, for every task to have its outcome. */
  drainTimeoutS: number;
  /** Keep the run's folder (configs, logs, results store) even when it ended well. */
  keepFiles: boolean;
}

export interface E2eResult {
  figures: Record<string, unknown>;
  targets: Target[];
  /** Per second of the run, for the report's charts. */
  series: BenchSeries;
}


const run = promisify(execFile);

async function brokerPidOf(control: string[] | null): Promise<number | null> {
  if (control === null) return null;
  try {
    const { stdout } = await run(control[0]!, [...control.slice(1), 'status']);
    const match = /pid (\d+)/.exec(stdout);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** What the detection process says of its cameras at the end: each one's state, frames, and its pipeline time. */
async function detectionAtEnd(site: Site): Promise<{ states: Record<string, string>; figures: Record<string, number | null> }> {
  const url = site.processes.get('detection')?.opsUrl;
  const samples = url ? await fetchSamples(url, 10_000) : null;
  if (samples === null) return { states: {}, figures: {} };
  const round0 = (value: number | null): number | null => (value === null ? null : Math.round(value));
  const quantile = (name: string, q: number): number | null => round0(histogramQuantile(histogramBuckets(samples, name), q));
  return {
    states: Object.fromEntries(samplesOf(samples, 'camera_state').filter((sample) => sample.value === 1).map((sample) => [sample.labels.camera!, sample.labels.state!])),
    figures: {
      frames_processed: sumOf(samples, 'camera_frames_processed_total'),
      frames_skipped: sumOf(samples, 'camera_frames_skipped'),
      groups_published: sumOf(samples, 'detection_groups_published_total'),
      // Decoder → published, as the detection process measures it (whole run, its histogram's buckets).
      pipeline_ms_p50: quantile('detection_pipeline_ms', 0.5),
      pipeline_ms_p95: quantile('detection_pipeline_ms', 0.95),
      // Of which: waiting for and running the shared detector, and waiting for the bus to acknowledge.
      detect_ms_p50: quantile('detection_detect_ms', 0.5),
      detect_ms_p95: quantile('detection_detect_ms', 0.95),
      publish_ms_p50: quantile('detection_publish_ms', 0.5),
      publish_ms_p95: quantile('detection_publish_ms', 0.95),
    },
  };
}

export async function runE2eBench(options: E2eBenchOptions, progress: (line: string) => void): Promise<E2eResult> {
  const runId = `e2e-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'tcr-bench-e2e-'));
  const kafka = new kafkajs.Kafka({ brokers: options.brokers, clientId: runId, logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 30, maxRetryTime: 5000 } });
  const admin = kafka.admin();
  const topics = { detections: `${runId}-detections`, tasks: `${runId}-tasks`, results: `${runId}-results`, dlq: `${runId}-dlq` };
  const local = localHost(dir);
  const hosts: SiteHost[] = [local];
  let stopped = false;
  const closers: (() => Promise<unknown>)[] = [];
  try {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: topics.detections, numPartitions: 8 },
        { topic: topics.tasks, numPartitions: 32 },
        { topic: topics.results, numPartitions: 4 },
        { topic: topics.dlq, numPartitions: 1 },
      ].map((topic) => ({ ...topic, replicationFactor: 1 })),
    });
    const placed = new Map<PlaceableRole, SiteHost>();
    const agents = new Map<string, SiteHost>();
    for (const [role, url] of options.agents) {
      const host = agents.get(url) ?? (await agentHost(url, options.agentToken ?? '', runId));
      if (!agents.has(url)) hosts.push(host);
      agents.set(url, host);
      placed.set(role, host);
      progress(`${role} runs on ${url} (its files in ${host.dir} there)`);
    }
    progress(`making the camera clips in ${placed.get('detection')?.dir ?? dir}`);
    progress(`starting llm-sim, ${options.schedulers} schedulers, detection (${options.cameras} cameras), expander, results and the gateway; logs in ${join(dir, 'logs')}`);
    const started = await startSite(options, runId, local, placed);
    const records = await readSiteRecords(kafka, `${runId}-accounting`, topics);
    closers.push(() => records.stop());
    let brokerPid = await brokerPidOf(options.brokerControl);
    const timeline = startTimeline(started, () => admin, cameraId(options.cameras - 1), () => brokerPid);
    closers.push(() => timeline.stop());
    const producer = kafka.producer();
    await producer.connect();
    closers.push(() => producer.disconnect());
    const malformed: MalformedSent[] = [];

    progress('waiting for the first verdict to be stored');
    await waitUntil(() => existsSync(started.storeFile) && readStore(started.storeFile).size > 0, 'the first verdict stored (the pipeline flowing)', 240_000);
    await new Promise((resolve) => setTimeout(resolve, options.warmupS * 1000));

    const fromMs = Date.now();
    await timeline.measureCpu();
    progress(`measuring for ${options.durationS} s; faults: ${options.faults.join(', ') || 'none'}`);
    const injected: FaultRecord[] = [];
    const context = {
      site: started,
      brokerControl: options.brokerControl,
      camera: { id: cameraId(options.cameras - 1), file: started.cameraFiles[started.cameraFiles.length - 1]! },
      malformed: async (targets: readonly string[]) => {
        const sent = await writeMalformed(producer, targets, MALFORMED_PER_TOPIC);
        malformed.push(...sent);
        return sent.length;
      },
    };
    const running = faultSchedule(options.faults, options.durationS).map(async ({ fault, atS }) => {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, fromMs + atS * 1000 - Date.now())));
      progress(`fault ${fault} at ${atS} s`);
      const done = await injectFault(fault, context);
      if (fault === 'broker_stopped') brokerPid = await brokerPidOf(options.brokerControl);
      injected.push(done);
      progress(`fault ${fault} removed ${Math.round((done.removed_at_ms! - fromMs) / 1000)} s into the run`);
    });
    await new Promise((resolve) => setTimeout(resolve, options.durationS * 1000));
    const toMs = Date.now();
    await Promise.all(running);
    // The site runs on (not measured) until every fault's alert has cleared: a camera wall, for one, needs frames.
    progress('waiting for the faults\' alerts to clear');
    await waitUntil(() => alertsCleared(started.storeFile, injected), "every fault's alert to clear", ALERTS_CLEAR_TIMEOUT_MS).catch(() => progress(`some alerts did not clear within ${ALERTS_CLEAR_TIMEOUT_MS / 1000} s of the end`));
    // An alert clears on what the gateway just read; the timeline samples the same each second, and a recovery counts
    // only once it is in a sample (a camera live again): two more samples before intake stops.
    const sampled = timeline.samples.length;
    await waitUntil(() => timeline.samples.length >= sampled + 2, 'two more timeline samples', 10_000).catch(() => progress('the timeline took over 10 s for two samples'));
    const detectionFigures = await detectionAtEnd(started);

    progress('stopping intake (detection) and waiting for every task to have its outcome');
    const detection = started.processes.get('detection')!;
    detection.child.kill('SIGTERM');
    await detection.child.exited;
    started.processes.delete('detection');
    const withoutOutcome = (): number => {
      const store = readStore(started.storeFile);
      const lettered = new Set(records.deadLetters.map((letter) => letter.taskId));
      return [...records.tasks.keys()].filter((taskId) => !store.has(taskId) && !lettered.has(taskId)).length;
    };
    // The expander drains what detection wrote; then every task needs a stored verdict or a dead letter.
    await waitUntil(async () => (await lagOf(admin, started.groups.expander, topics.detections)) === 0 && withoutOutcome() === 0, 'every task to have an outcome', options.drainTimeoutS * 1000).catch(() =>
      progress(`${withoutOutcome()} tasks still had no outcome after ${options.drainTimeoutS} s; counted as lost unless one comes before the end`),
    );
    // Alerts of the last faults clear at the next evaluations: a few more seconds of a quiet site.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    await timeline.stop();

    progress('stopping every process');
    const children = [...started.processes.values()].map((entry) => entry.child);
    await Promise.race([stopAll(children), new Promise((resolve) => setTimeout(resolve, 60_000))]);
    const stillRunning = [...started.processes.values()].filter((entry) => entry.child.exitStatus() === null);
    if (stillRunning.length > 0) {
      throw new AccountingIncomplete(`${stillRunning.map((entry) => `${entry.role} (pid ${entry.child.pid} on ${entry.host.address})`).join(', ')} did not stop within 60 s of SIGTERM: the store may not hold everything they committed; logs in ${join(dir, 'logs')}`);
    }
    const failed = [...started.processes.values()].filter((entry) => entry.child.exitStatus()?.code !== 0);
    if (failed.length > 0) progress(`${failed.map((entry) => `${entry.role} exited with ${entry.child.exitStatus()?.code ?? entry.child.exitStatus()?.signal}`).join(', ')} on SIGTERM (logs in ${join(dir, 'logs')})`);
    stopped = true;
    // Every producer has stopped: the reader has everything once it is at the end of each partition.
    await waitUntil(() => records.caughtUp(admin), 'the accounting reader to reach the end of every topic', 60_000).catch(() => {
      throw new AccountingIncomplete('the accounting reader did not reach the end of the topics within 60 s');
    });

    const store = readStore(started.storeFile);
    const sim = (await (await fetch(`${started.simUrl}/stats`).catch(() => null))?.json()) as LlmSimStats | undefined;
    const accounting = account(records, store, malformed);
    const { figures, targets, faults } = e2eFigures({
      cameras: options.cameras,
      keys: options.keys,
      keyQps: options.keyQps,
      llmLatencyMs: options.llmLatencyMs,
      llmJitterMs: options.llmJitterMs,
      window: { fromMs, toMs },
      tasks: records.tasks,
      store,
      accounting,
      faults: injected,
      timeline: timeline.samples,
      alertEvents: readSystemAlertEvents(started.storeFile),
      cpu: timeline.cpu(),
      sim: { http_429: sim?.totals.http_429 ?? 0, throttled: sim?.totals.throttled ?? 0 },
      camerasLiveAtEnd: Object.values(detectionFigures.states).filter((state) => state === 'live').length,
    });
    return { figures: { run_id: runId, ...figures, detection: detectionFigures.figures }, targets, series: seriesOf(fromMs, options.durationS, store, timeline.samples, faults) };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    // Whatever still runs (a failed run, or a site that failed to start) is SIGKILLed by its host, which also
    // removes the run's folder there.
    const keep = !stopped || options.keepFiles;
    for (const host of hosts.reverse()) await host.close(keep).catch((error: unknown) => progress(`could not clean up on ${host.address}: ${(error as Error).message}`));
    await admin.disconnect().catch(() => undefined);
    await deleteTopics(kafka, Object.values(topics));
    if (keep) progress(`the run's files and logs are kept in ${dir}${hosts.length > 1 ? ' (and on the agents\' hosts)' : ''}`);
  }
}

const ALERTS_CLEAR_TIMEOUT_MS = 90_000;

async function stopAll(children: readonly SiteChild[]): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => child.exited));
}

function alertsCleared(storeFile: string, faults: readonly FaultRecord[]): boolean {
  const events = readSystemAlertEvents(storeFile);
  return faults.every((fault) => alertOfFault(fault, events).cleared !== undefined);
}

/** The run cannot vouch for its counts (a process that would not stop, a reader that did not reach the end). */
export class AccountingIncomplete extends AppError {
  constructor(message: string) {
    super('accounting_incomplete', message);
  }
}

async function lagOf(admin: kafkajs.Admin, group: string, topic: string): Promise<number> {
  return (await readLag(admin, group, topic)).reduce((sum, partition) => sum + partition.lag, 0);
}


function seriesOf(fromMs: number, durationS: number, store: ReadonlyMap<string, { capturedAtMs: number; storedAtMs: number }>, timeline: readonly { atMs: number; lag: Record<string, number | null> }[], faults: readonly { fault: Fault; injected_at_s: number; recovered_at_s: number | null }[]): BenchSeries {
  const bySecond = new Map<number, number[]>();
  for (const verdict of store.values()) {
    const t = Math.floor((verdict.storedAtMs - fromMs) / 1000);
    if (t < 0) continue;
    bySecond.set(t, [...(bySecond.get(t) ?? []), verdict.storedAtMs - verdict.capturedAtMs]);
  }
  const last = Math.max(0, ...bySecond.keys(), ...timeline.map((sample) => Math.floor((sample.atMs - fromMs) / 1000)));
  const lagAt = new Map(timeline.map((sample) => [Math.floor((sample.atMs - fromMs) / 1000), sample.lag]));
  const seconds = Array.from({ length: last + 1 }, (_, t) => {
    const latencies = [...(bySecond.get(t) ?? [])].sort((a, b) => a - b);
    const at = (q: number): number | null => (latencies.length === 0 ? null : latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * q) - 1)]!);
    return { t, stored: latencies.length, p50: at(0.5), p95: at(0.95), lag: lagAt.get(t) ?? {} };
  });
  return { fromMs, durationS, latencyTargetMs: 2000, seconds, faults: faults.map((fault) => ({ fault: fault.fault, fromS: fault.injected_at_s, toS: fault.recovered_at_s })) };
}
