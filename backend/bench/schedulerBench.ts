// `tcr bench scheduler`: llm-sim and N `tcr scheduler` instances as child processes on a real broker, as a site
// runs them; tasks written at a steady rate to fresh topics; optionally one instance SIGKILLed mid-run and started
// again. Reports throughput against the keys' capacity, task latency (enqueue → committed result), what became of
// every task (lost, duplicated), the simulator's 429s, and how the shares moved and how soon the killed
// instance's partitions were served again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { stringify } from 'yaml';
import { assessmentTaskMessage, encodeMessage } from '../contracts/index.js';
import { simApiKey, simKeyName } from '../llmsim/simKeys.js';
import type { LlmSimStats } from '../llmsim/simServer.js';
import { isRunning, outputOf, startSimChild, startTcr, stopAll, type BenchChild } from './benchProcesses.js';
import { benchCrop, benchTask } from './benchTasks.js';
import { schedulerFigures, type ShareSample } from './schedulerFigures.js';
import { deleteTopics } from './deleteTopics.js';
import { readTaskOutcomes } from './taskOutcomes.js';
import { waitUntil } from './waitUntil.js';

export interface SchedulerBenchOptions {
  brokers: string[];
  instances: number;
  workers: number;
  keys: number;
  keyQps: number;
  tasks: number;
  partitions: number;
  /** Tasks written per second (default: the keys' capacity). */
  rate: number | null;
  llmLatencyMs: number;
  llmJitterMs: number;
  /** Seconds after the first task at which instance 1 is SIGKILLed (null: none is). */
  killOneAtS: number | null;
  restartAfterS: number;
  sessionTimeoutMs: number;
  taskTtlMs: number;
  slotJitterBudgetMs: number;
  timeoutS: number;
}

interface Instance {
  id: string;
  child: BenchChild;
  opsUrl: string;
}

function writeConfigs(dir: string, runId: string, options: SchedulerBenchOptions, simUrl: string): { app: string; keys: string; env: Record<string, string> } {
  const names = Array.from({ length: options.keys }, (_, index) => simKeyName(index));
  const variable = (name: string): string => `TCR_BENCH_KEY_${name.replace(/\W/g, '_').toUpperCase()}`;
  const env = Object.fromEntries(names.map((name) => [variable(name), simApiKey(name)]));
  const keysFile = join(dir, 'api_keys.yaml');
  writeFileSync(keysFile, stringify({ slot_jitter_budget_ms: options.slotJitterBudgetMs, keys: names.map((name) => ({ name, api_key: `\${${variable(name)}}`, qps_limit: options.keyQps, rpm_limit: Math.round(options.keyQps * 60) })) }));
  const appFile = join(dir, 'app.yaml');
  writeFileSync(
    appFile,
    stringify({
      log: { level: 'warn', format: 'json' },
      data_dir: join(dir, 'data'),
      kafka: {
        brokers: options.brokers,
        client_id: runId,
        session_timeout_ms: options.sessionTimeoutMs,
        rebalance_timeout_ms: Math.max(options.sessionTimeoutMs, 10_000),
        topics: {
          assessment_tasks: { name: `${runId}-tasks`, partitions: options.partitions, replication_factor: 1 },
          risk_assessment_results: { name: `${runId}-results`, partitions: 4, replication_factor: 1 },
          dlq: { name: `${runId}-dlq`, partitions: 1, replication_factor: 1 },
        },
      },
      llm: { base_url: `${simUrl}/v1`, model: 'qwen-vl-plus', language: 'zh-CN' },
      scheduler: { consumer_group: `${runId}-scheduler`, fallback: 'none', ops: { port: 0 } },
    }),
  );
  return { app: appFile, keys: keysFile, env };
}

async function startInstance(id: string, files: { app: string; keys: string; env: Record<string, string> }, workers: number): Promise<Instance> {
  const child = startTcr(['scheduler', '--config', files.keys, '--app-config', files.app, '--workers', String(workers), '--instance-id', id, '--ops-port', '0'], files.env);
  const [, opsUrl] = await outputOf(child, /ops on (http\S+)/, `scheduler ${id} to start`);
  return { id, child, opsUrl: opsUrl! };
}

interface PoolHealth {
  owned_partitions: number[];
  slot_tolerance_ms: number;
  keys: { slots_passed_over: number; late_writes: number; requests_total: number }[];
}

async function poolHealth(instance: Instance): Promise<PoolHealth | null> {
  try {
    return (await (await fetch(`${instance.opsUrl}/api-key-pool/health`)).json()) as PoolHealth;
  } catch {
    return null;
  }
}

async function ownedPartitions(instance: Instance): Promise<number[] | null> {
  return (await poolHealth(instance))?.owned_partitions ?? null;
}

export async function runSchedulerBench(options: SchedulerBenchOptions): Promise<Record<string, unknown>> {
  const runId = `bench-sched-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'tcr-bench-scheduler-'));
  const kafka = new kafkajs.Kafka({ brokers: options.brokers, clientId: runId, logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: `${runId}-tasks`, numPartitions: options.partitions }, { topic: `${runId}-results`, numPartitions: 4 }, { topic: `${runId}-dlq`, numPartitions: 1 }].map((topic) => ({ ...topic, replicationFactor: 1 })) });
  await admin.disconnect();
  const children: BenchChild[] = [];
  const instances: Instance[] = [];
  const shares: ShareSample[] = [];
  let polling = true;
  try {
    const sim = await startSimChild({ keys: options.keys, keyQps: options.keyQps, keyRpm: Math.round(options.keyQps * 60), latencyMs: options.llmLatencyMs, jitterMs: options.llmJitterMs });
    children.push(sim.child);
    const files = writeConfigs(dir, runId, options, sim.url);
    for (let n = 1; n <= options.instances; n++) instances.push(await startInstance(`${runId}-${n}`, files, options.workers));
    children.push(...instances.map((instance) => instance.child));
    const sample = async (): Promise<void> => {
      const healths = await Promise.all(instances.map(async (instance) => [instance.id, isRunning(instance.child) ? await poolHealth(instance) : null] as const));
      shares.push({
        atMs: Date.now(),
        owned: Object.fromEntries(healths.map(([id, health]) => [id, health?.owned_partitions ?? null])),
        requests: Object.fromEntries(healths.map(([id, health]) => [id, health === null ? null : health.keys.reduce((sum, key) => sum + key.requests_total, 0)])),
      });
    };
    await waitUntil(async () => {
      await sample();
      return new Set(Object.values(shares.at(-1)!.owned).flatMap((partitions) => partitions ?? [])).size === options.partitions;
    }, 'every partition to be assigned', 120_000);
    const sampling = (async () => {
      while (polling) {
        await sample();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();

    const reader = await readTaskOutcomes(kafka, `${runId}-reader`, `${runId}-results`, `${runId}-dlq`);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const crop = await benchCrop();
    const rate = options.rate ?? options.keys * options.keyQps;
    const enqueued = new Map<string, { atMs: number; partition: number }>();
    const startedAt = Date.now();
    let killed: Killed | null = null;
    for (let sent = 0; sent < options.tasks; ) {
      const elapsedS = (Date.now() - startedAt) / 1000;
      if (options.killOneAtS !== null && killed === null && elapsedS >= options.killOneAtS) killed = await killOne(instances, files, options, children);
      const due = Math.min(options.tasks, Math.floor(elapsedS * rate) + 1);
      const batch = [];
      for (; sent < due; sent++) {
        const now = Date.now();
        const task = benchTask(sent, now, options.taskTtlMs, crop);
        const encoded = encodeMessage(assessmentTaskMessage, task);
        if (!encoded.ok) throw new Error(`bench task is invalid: ${encoded.error.message}`);
        const partition = sent % options.partitions;
        enqueued.set(task.task_id, { atMs: now, partition });
        batch.push({ key: task.task_id, value: encoded.value, partition });
      }
      if (batch.length > 0) await producer.send({ topic: `${runId}-tasks`, messages: batch });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await producer.disconnect();
    await waitUntil(() => [...enqueued.keys()].every((taskId) => reader.byTask.has(taskId)), 'every task to have an outcome', options.timeoutS * 1000).catch(() => undefined);
    // Late duplicates would show up now, not later: a second commit of a task happens while its redo runs.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const simStats = (await (await fetch(`${sim.url}/stats`)).json()) as LlmSimStats;
    const received = (await (await fetch(`${sim.url}/received`)).json()) as { requests: { at_ms: number }[] };
    polling = false;
    await sampling;
    await reader.stop();
    // The killed instance's count went with it: its restarted process counts from its start.
    const slots = Object.fromEntries(
      await Promise.all(
        instances.map(async (instance) => {
          const health = await poolHealth(instance);
          return [instance.id, health === null ? null : { passed_over: health.keys.reduce((sum, key) => sum + key.slots_passed_over, 0), late_writes: health.keys.reduce((sum, key) => sum + key.late_writes, 0), tolerance_ms: health.slot_tolerance_ms }] as const;
        }),
      ),
    );
    const restarted = killed === null ? null : (await killed.restarted) !== null;
    return { ...schedulerFigures({ options, rate, enqueued, outcomes: reader.byTask, unreadable: reader.unreadable(), simTotals: simStats.totals, llmArrivals: received.requests.map((request) => request.at_ms), rateLimited: simStats.rate_limited, killed, shares, startedAt }), killed_restarted: restarted, slots_at_end: slots, llm_sim_event_loop_delay_ms: simStats.event_loop_delay_ms };
  } finally {
    polling = false;
    await stopAll(children);
    rmSync(dir, { recursive: true, force: true });
    await deleteTopics(kafka, [`${runId}-tasks`, `${runId}-results`, `${runId}-dlq`]);
  }
}

interface Killed {
  atMs: number;
  partitions: number[];
  id: string;
  /** The instance started again (as a supervisor would), or null when it could not start. */
  restarted: Promise<Instance | null>;
}

/** SIGKILLs instance 1 (no drain, no leave: its session must expire) and starts it again after the pause. */
async function killOne(instances: Instance[], files: { app: string; keys: string; env: Record<string, string> }, options: SchedulerBenchOptions, children: BenchChild[]): Promise<Killed> {
  const victim = instances[0]!;
  const partitions = (await ownedPartitions(victim)) ?? [];
  victim.child.process.kill('SIGKILL');
  const atMs = Date.now();
  const restarted = new Promise<Instance | null>((resolve) => {
    setTimeout(() => {
      startInstance(victim.id, files, options.workers).then(
        (instance) => {
          instances[0] = instance;
          children.push(instance.child);
          resolve(instance);
        },
        () => resolve(null),
      );
    }, options.restartAfterS * 1000);
  });
  return { atMs, partitions, id: victim.id, restarted };
}
