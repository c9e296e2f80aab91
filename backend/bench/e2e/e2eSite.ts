// The site `tcr bench e2e` runs, as a site runs it: llm-sim, N `tcr scheduler` instances, and the detection,
// expander, results and gateway roles each a `tcr server` process of its own, on fresh topics of a real broker.
// Every process gets a fixed ops port, so one restarted after a fault is found where the gateway scrapes it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { simApiKey, simKeyName } from '../../llmsim/simKeys.js';
import { startSimChild } from '../benchProcesses.js';
import { waitUntil } from '../waitUntil.js';
import { cameraId, type CameraClips } from './e2eCameras.js';
import type { LocalHost, SiteChild, SiteHost } from './e2eHosts.js';

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
  /** The clips the cameras loop, made on the detection process's host. */
  clips: Omit<CameraClips, 'cameras'>;
  dedupWindowMs: number;
  /** kafka.compression of every process. */
  compression: 'none' | 'gzip';
}

/** The roles as processes: what a fault kills and what `cpu_cores_used` is counted by. */
export type SiteRole = 'llm-sim' | 'detection' | 'expander' | 'results' | 'gateway' | `scheduler-${number}`;

/** Roles another host may run (`tcr bench e2e --agent role=URL`): they need no secrets, the store or the simulator. */
export const PLACEABLE_ROLES = ['detection', 'expander'] as const;
export type PlaceableRole = (typeof PLACEABLE_ROLES)[number];

export interface SiteProcess {
  role: SiteRole;
  child: SiteChild;
  host: SiteHost;
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
  /** The camera files on the detection process's host, one per camera. */
  readonly cameraFiles: string[];
  /** The host the role runs on. */
  hostOf(role: SiteRole): SiteHost;
  /** Starts the role again as a supervisor would (same config, same ops port). */
  restart(role: SiteRole): Promise<SiteProcess>;
  /** Rewrites the key file without these keys (the operator's fix for a revoked key; the pool reloads it). */
  writeKeyFile(without: readonly string[]): void;
  keyNames: string[];
}

const keyVariable = (name: string): string => `TCR_BENCH_KEY_${name.replace(/\W/g, '_').toUpperCase()}`;

export async function startSite(options: SiteOptions, runId: string, local: LocalHost, placed: ReadonlyMap<PlaceableRole, SiteHost>): Promise<Site> {
  const topics = { detections: `${runId}-detections`, tasks: `${runId}-tasks`, results: `${runId}-results`, dlq: `${runId}-dlq` };
  const groups = { expander: `${runId}-expander`, scheduler: `${runId}-scheduler`, results: `${runId}-results` };
  const hostOf = (role: SiteRole): SiteHost => placed.get(role as PlaceableRole) ?? local;
  const dataDirOf = (host: SiteHost): string => join(host.dir, 'data');
  mkdirSync(dataDirOf(local), { recursive: true });
  const keyNames = Array.from({ length: options.keys }, (_, index) => simKeyName(index));
  const env = Object.fromEntries(keyNames.map((name) => [keyVariable(name), simApiKey(name)]));
  const keysFile = join(local.dir, 'api_keys.yaml');
  const writeKeyFile = (without: readonly string[]): void => {
    const keys = keyNames.filter((name) => !without.includes(name)).map((name) => ({ name, api_key: `\${${keyVariable(name)}}`, qps_limit: options.keyQps, rpm_limit: Math.round(options.keyQps * 60) }));
    writeFileSync(keysFile, stringify({ keys }));
  };
  writeKeyFile([]);
  const cameraFiles = await hostOf('detection').cameraFiles({ ...options.clips, cameras: options.cameras });

  const roles: SiteRole[] = ['detection', 'expander', 'results', ...Array.from({ length: options.schedulers }, (_, n) => `scheduler-${n + 1}` as const)];
  // Each host picks a port free now, on its own: an agent on this host (or two roles of one host) could pick the
  // same one, and the second process would fail to listen.
  const taken = new Set<string>();
  const portOn = async (host: SiteHost): Promise<number> => {
    for (let attempt = 0; ; attempt++) {
      const port = await host.freePort();
      if (!taken.has(`${host.address}:${port}`) || attempt >= 20) {
        taken.add(`${host.address}:${port}`);
        return port;
      }
    }
  };
  const opsPorts = new Map<SiteRole, number>();
  for (const role of roles) opsPorts.set(role, await portOn(hostOf(role)));
  const opsUrlOf = (role: SiteRole): string => `http://${hostOf(role).address}:${opsPorts.get(role)}`;
  const gatewayPort = await portOn(local);

  const processes = new Map<SiteRole, SiteProcess>();
  const sim = await startSimChild({ keys: options.keys, keyQps: options.keyQps, keyRpm: Math.round(options.keyQps * 60), latencyMs: options.llmLatencyMs, jitterMs: options.llmJitterMs });
  processes.set('llm-sim', { role: 'llm-sim', child: local.adopt(sim.child), host: local, opsUrl: null, startedAtMs: Date.now() });

  const configOf = (role: SiteRole): Promise<string> => {
    const host = hostOf(role);
    // Ops endpoints of another host's processes must be reachable from this one (the gateway scrapes them).
    const opsHost = host === local || host.address === '127.0.0.1' ? '127.0.0.1' : '0.0.0.0';
    return host.writeFile(
      `${role}.yaml`,
      stringify({
        instance_id: `${runId}-${role}`,
        log: { level: 'info', format: 'json' },
        data_dir: dataDirOf(host),
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
        cameras: cameraFiles.map((url, index) => ({ id: cameraId(index), name: `E2E ${index + 1}`, url, fps: options.fps, loop: true })),
        detector: { model: { path: host.pathOf(options.modelPath), input_size: options.inputSize } },
        expander: { consumer_group: groups.expander, dedup_window_ms: options.dedupWindowMs },
        llm: { base_url: `${sim.url}/v1`, model: 'qwen-vl-plus', language: 'zh-CN', api_keys_file: keysFile },
        scheduler: { consumer_group: groups.scheduler, ops: { host: opsHost } },
        results: { consumer_group: groups.results },
        gateway: { port: gatewayPort },
        alerts: {
          system: {
            evaluate_every_s: 2,
            // The bench's faults are short: lag of a few seconds of the site's traffic is already a backlog.
            max_consumer_lag: 200,
            scrape_targets: roles.map((target) => ({ name: target, url: opsUrlOf(target) })),
            scrape_timeout_ms: 1500,
          },
        },
      }),
    );
  };

  const start = async (role: SiteRole): Promise<SiteProcess> => {
    const host = hostOf(role);
    const config = await configOf(role);
    const args =
      role === 'gateway'
        ? ['server', '--config', config, '--roles', 'gateway']
        : role.startsWith('scheduler-')
          ? ['scheduler', '--config', keysFile, '--app-config', config, '--workers', String(options.workers), '--instance-id', `${runId}-${role}`, '--ops-port', String(opsPorts.get(role))]
          : ['server', '--config', config, '--roles', role, '--ops-port', String(opsPorts.get(role))];
    // Only the schedulers need the keys; each process logs to a file of its own, as a site's supervisor keeps them.
    const child = await host.start(role, [...args, '--log-format', 'json'], role.startsWith('scheduler-') ? env : {});
    const ready = role === 'gateway' ? /running: (http:\/\/\S+)/ : /ops on (http\S+)/;
    await waitUntil(() => {
      if (child.exitStatus() !== null) throw new Error(`${role} exited while starting (its log: ${join(host.dir, 'logs', `${role}.log`)} on ${host.address})`);
      return ready.test(child.stdout());
    }, `${role} to start`, 120_000);
    const started: SiteProcess = { role, child, host, opsUrl: role === 'gateway' ? null : opsUrlOf(role), startedAtMs: Date.now() };
    processes.set(role, started);
    return started;
  };

  // Consumers first, so the first frames find every stage ready; the gateway last, as it scrapes the others.
  for (const role of roles.filter((role) => role !== 'detection')) await start(role);
  await start('detection');
  await start('gateway');
  return {
    runId,
    dir: local.dir,
    topics,
    groups,
    simUrl: sim.url,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    storeFile: join(dataDirOf(local), 'results.sqlite'),
    keysFile,
    processes,
    cameraFiles,
    hostOf,
    restart: start,
    writeKeyFile,
    keyNames,
  };
}
