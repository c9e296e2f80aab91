// The site `tcr bench e2e` runs, as a site runs it: llm-sim, N `tcr scheduler` instances, and the detection,
// expander, results and gateway roles each a `tcr server` process of its own, on fresh topics of a real broker.
// Every process gets a fixed ops port, so one restarted after a fault is found where the gateway scrapes it.
import { createServer } from 'node:net';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { simApiKey, simKeyName } from '../../llmsim/simKeys.js';
import { outputOf, startSimChild, startTcr, type BenchChild } from '../benchProcesses.js';

export interface SiteOptions {
  brokers: string[];
  cameras: number;
  fps: number;
  keys: number;
  keyQps: number;
  llmLatencyMs: number;
  llmJitterMs: number;
  schedulers: number;
  workers: number;
  modelPath: string;
  inputSize: number;
  /** Camera files, one per camera (each camera its own file, so one can be taken away). */
  cameraFiles: string[];
  dedupWindowMs: number;
  /** kafka.compression of every process. */
  compression: 'none' | 'gzip';
}

/** The roles as processes: what a fault kills and what `cpu_cores_used` is counted by. */
export type SiteRole = 'llm-sim' | 'detection' | 'expander' | 'results' | 'gateway' | `scheduler-${number}`;

export interface SiteProcess {
  role: SiteRole;
  child: BenchChild;
  /** Its ops endpoint (none for llm-sim). */
  opsUrl: string | null;
  startedAtMs: number;
}

export interface Site {
  readonly runId: string;
  readonly dir: string;
  readonly topics: { detections: string; tasks: string; results: string; dlq: string };
  readonly groups: { expander: string; scheduler: string; results: string };
  readonly simUrl: string;
  readonly gatewayUrl: string;
  readonly storeFile: string;
  readonly keysFile: string;
  /** Every process now running, by role (a restarted one replaces its entry). */
  readonly processes: Map<SiteRole, SiteProcess>;
  /** Every child ever started, for the final stop and the check that each one stopped. */
  readonly everStarted: BenchChild[];
  /** Starts the role again as a supervisor would (same config, same ops port). */
  restart(role: SiteRole): Promise<SiteProcess>;
  /** Rewrites the key file without these keys (the operator's fix for a revoked key; the pool reloads it). */
  writeKeyFile(without: readonly string[]): void;
  keyNames: string[];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const keyVariable = (name: string): string => `TCR_BENCH_KEY_${name.replace(/\W/g, '_').toUpperCase()}`;

export async function startSite(options: SiteOptions, runId: string, dir: string): Promise<Site> {
  const topics = { detections: `${runId}-detections`, tasks: `${runId}-tasks`, results: `${runId}-results`, dlq: `${runId}-dlq` };
  const groups = { expander: `${runId}-expander`, scheduler: `${runId}-scheduler`, results: `${runId}-results` };
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const keyNames = Array.from({ length: options.keys }, (_, index) => simKeyName(index));
  const env = Object.fromEntries(keyNames.map((name) => [keyVariable(name), simApiKey(name)]));
  const keysFile = join(dir, 'api_keys.yaml');
  const writeKeyFile = (without: readonly string[]): void => {
    const keys = keyNames.filter((name) => !without.includes(name)).map((name) => ({ name, api_key: `\${${keyVariable(name)}}`, qps_limit: options.keyQps, rpm_limit: Math.round(options.keyQps * 60) }));
    writeFileSync(keysFile, stringify({ keys }));
  };
  writeKeyFile([]);

  const roles: SiteRole[] = ['detection', 'expander', 'results', ...Array.from({ length: options.schedulers }, (_, n) => `scheduler-${n + 1}` as const)];
  const opsPorts = new Map<SiteRole, number>();
  for (const role of roles) opsPorts.set(role, await freePort());
  const gatewayPort = await freePort();

  const processes = new Map<SiteRole, SiteProcess>();
  const everStarted: BenchChild[] = [];
  const sim = await startSimChild({ keys: options.keys, keyQps: options.keyQps, keyRpm: Math.round(options.keyQps * 60), latencyMs: options.llmLatencyMs, jitterMs: options.llmJitterMs });
  everStarted.push(sim.child);
  processes.set('llm-sim', { role: 'llm-sim', child: sim.child, opsUrl: null, startedAtMs: Date.now() });

  const configOf = (role: SiteRole): string => {
    const file = join(dir, `${role}.yaml`);
    writeFileSync(
      file,
      stringify({
        instance_id: `${runId}-${role}`,
        log: { level: 'info', format: 'json' },
        data_dir: dataDir,
        kafka: {
          brokers: options.brokers,
          client_id: `${runId}-${role}`,
          // Kafka's minimum: a SIGKILLed instance's partitions move after 6 s, not 30.
          session_timeout_ms: 6000,
          rebalance_timeout_ms: 10_000,
          lag_poll_ms: 1000,
          compression: options.compression,
          topics: {
            detection_results: { name: topics.detections, partitions: 8, replication_factor: 1 },
            assessment_tasks: { name: topics.tasks, partitions: 32, replication_factor: 1 },
            risk_assessment_results: { name: topics.results, partitions: 4, replication_factor: 1 },
            dlq: { name: topics.dlq, partitions: 1, replication_factor: 1 },
          },
        },
        cameras: options.cameraFiles.map((url, index) => ({ id: cameraId(index), name: `E2E ${index + 1}`, url, fps: options.fps, loop: true })),
        detector: { model: { path: options.modelPath, input_size: options.inputSize } },
        expander: { consumer_group: groups.expander, dedup_window_ms: options.dedupWindowMs },
        llm: { base_url: `${sim.url}/v1`, model: 'qwen-vl-plus', language: 'zh-CN', api_keys_file: keysFile },
        scheduler: { consumer_group: groups.scheduler },
        results: { consumer_group: groups.results },
        gateway: { port: gatewayPort },
        alerts: {
          system: {
            evaluate_every_s: 2,
            // The bench's faults are short: lag of a few seconds of the site's traffic is already a backlog.
            max_consumer_lag: 200,
            scrape_targets: roles.map((target) => ({ name: target, url: `http://127.0.0.1:${opsPorts.get(target)}` })),
            scrape_timeout_ms: 1500,
          },
        },
      }),
    );
    return file;
  };

  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const start = async (role: SiteRole): Promise<SiteProcess> => {
    const config = configOf(role);
    const args =
      role === 'gateway'
        ? ['server', '--config', config, '--roles', 'gateway']
        : role.startsWith('scheduler-')
          ? ['scheduler', '--config', keysFile, '--app-config', config, '--workers', String(options.workers), '--instance-id', `${runId}-${role}`, '--ops-port', String(opsPorts.get(role))]
          : ['server', '--config', config, '--roles', role, '--ops-port', String(opsPorts.get(role))];
    // Each process logs to a file of its own (appended to by its restarts), as a site's supervisor keeps them.
    const log = openSync(join(logs, `${role}.log`), 'a');
    const child = startTcr([...args, '--log-format', 'json'], env, log);
    closeSync(log);
    everStarted.push(child);
    const [, url] = await outputOf(child, role === 'gateway' ? /running: (http:\/\/\S+)/ : /ops on (http\S+)/, `${role} to start`, 120_000);
    const started: SiteProcess = { role, child, opsUrl: role === 'gateway' ? null : url!, startedAtMs: Date.now() };
    processes.set(role, started);
    return started;
  };

  // Consumers first, so the first frames find every stage ready; the gateway last, as it scrapes the others.
  for (const role of roles.filter((role) => role !== 'detection')) await start(role);
  await start('detection');
  await start('gateway');
  return {
    runId,
    dir,
    topics,
    groups,
    simUrl: sim.url,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    storeFile: join(dataDir, 'results.sqlite'),
    keysFile,
    processes,
    everStarted,
    restart: start,
    writeKeyFile,
    keyNames,
  };
}

export function cameraId(index: number): string {
  return `e2e-${String(index + 1).padStart(3, '0')}`;
}
