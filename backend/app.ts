// The one place stages are wired together: starts the roles a process runs, on one bus, and stops them in order.
import { Registry } from 'prom-client';
import type { Bus, Producer, Subscription } from './bus/bus.js';
import { createBus } from './bus/createBus.js';
import { createLagMonitor, type WatchedGroup } from './bus/lagMonitor.js';
import { ROLES, type AppConfig, type Env, type Role } from './config/index.js';
import { systemClock } from './core/clock.js';
import type { Logger } from './core/logger.js';
import { createCameraTester } from './detection/cameraTest.js';
import { createDetector, type Detector } from './detection/detector/detector.js';
import { ensureModelFile } from './detection/detector/modelFile.js';
import { createDetectionStage, type DetectionStage } from './detection/detectionStage.js';
import { cameraPipelineSettings, detectorSettings, modelFileSettings } from './detection/detectionSettings.js';
import { createSource } from './detection/sources/createSource.js';
import { createExpander } from './expander/expanderStage.js';
import { expanderSettings } from './expander/expanderSettings.js';
import { startGateway, type Gateway } from './gateway/gateway.js';
import { gatewaySettings } from './gateway/gatewaySettings.js';
import { ensureGatewayToken } from './gateway/gatewayToken.js';
import { keyNamesOf } from './gateway/keyNames.js';
import { registerBusMetrics } from './metrics/busMetrics.js';
import { registerDetectionMetrics, registerExpanderMetrics } from './metrics/detectionMetrics.js';
import { registerKeyPoolMetrics } from './metrics/keyPoolMetrics.js';
import { registerResultsMetrics } from './metrics/resultsMetrics.js';
import { registerSchedulerMetrics } from './metrics/schedulerMetrics.js';
import { startOpsServer, type OpsServer } from './ops/opsServer.js';
import { createResultsStage, type ResultsStage } from './results/resultsStage.js';
import { resultStoreFile, resultsSettings } from './results/resultsSettings.js';
import { createSchedulerRole, type SchedulerRole } from './scheduler/schedulerRole.js';

/** Roles this build can run; the others are in the config schema already and are refused with a warning. */
export const AVAILABLE_ROLES: readonly Role[] = ['detection', 'expander', 'scheduler', 'results', 'gateway'];

export interface StartOptions {
  /** For `${VAR}` in files read at start (the key pool file). */
  env: Env;
  /** Serve /healthz, /metrics and /api-key-pool/health on scheduler.ops (a `tcr scheduler` instance). */
  opsServer?: boolean;
  /** The config file `config` was read from: the settings view shows and saves it (none: read-only, nothing shown). */
  configFile?: string;
}

export interface RunningApp {
  roles: Role[];
  registry: Registry;
  /** Where the ops endpoints listen, when started. */
  opsUrl: string | null;
  /** Where the gateway listens, the token it wants and its stream's load, when it runs. */
  gateway: { url: string; token: string; stream: Pick<Gateway['stream'], 'clients' | 'buffered'> } | null;
  stop(): Promise<void>;
}

export async function startApp(config: AppConfig, roles: readonly Role[], rootLogger: Logger, options: StartOptions): Promise<RunningApp> {
  // Every line of this process names it: several instances of a role write to one log collector.
  const logger = rootLogger.child({ instance_id: config.instance_id });
  const registry = new Registry();
  const bus = createBus(config, logger);
  // Stopped in pipeline order: intake first, each stage drains and commits, then the gateway, then the bus.
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of [...stops.splice(0), () => bus.close()]) await stop();
  };
  const started: Role[] = [];
  const watched: WatchedGroup[] = [];
  /** What readiness looks at: every consumer of this process running. */
  const consumers: { role: Role; subscription: Subscription }[] = [];
  let scheduler: RunningScheduler | null = null;
  let detection: DetectionStage | null = null;
  let detector: Detector | null = null;
  let resultsStage: ResultsStage | null = null;
  let ops: OpsServer | null = null;
  let gateway: Gateway | null = null;
  let gatewayToken: string | null = null;
  try {
    for (const role of ROLES.filter((known) => roles.includes(known))) {
      if (!AVAILABLE_ROLES.includes(role)) {
        logger.warn({ role }, 'role not available in this build yet; not started');
        continue;
      }
      if (role === 'detection') {
        const running = await startDetection(config, bus.producer(), registry, logger.child({ stage: 'detection' }));
        detection = running.stage;
        detector = running.detector;
        stops.push(...running.stops);
      }
      if (role === 'expander') {
        const subscription = await startExpander(config, bus, registry);
        consumers.push({ role, subscription });
        stops.push(() => subscription.stop());
        watched.push({ group: config.expander.consumer_group, topic: config.kafka.topics.detection_results.name });
      }
      if (role === 'scheduler') {
        scheduler = await startScheduler(config, bus, options.env, registry, logger.child({ stage: 'scheduler' }));
        consumers.push({ role, subscription: scheduler.subscription });
        stops.push(scheduler.stop);
        watched.push({ group: config.scheduler.consumer_group, topic: config.kafka.topics.assessment_tasks.name });
      }
      if (role === 'results') {
        const results = await startResults(config, bus, registry, logger.child({ stage: 'results' }));
        resultsStage = results.stage;
        consumers.push({ role, subscription: results.subscription });
        stops.push(results.stop);
        watched.push({ group: config.results.consumer_group, topic: config.kafka.topics.risk_assessment_results.name });
      }
      if (role !== 'gateway') started.push(role);
    }
    const views = processViews(config, registry, started, scheduler, consumers);
    if (roles.includes('gateway')) {
      // Last: it serves what the other roles have set up, and stops after they drained.
      const found = ensureGatewayToken(config);
      gatewayToken = found.token;
      // Where the token came from, never the token: an operator rotating it needs to know which one is in use.
      logger.info({ token_source: found.source, token_file: found.file }, 'gateway token');
      const stage = detection;
      const cameraTester = createCameraTester(config, detector);
      gateway = await startGateway({
        bus,
        settings: gatewaySettings(config),
        token: gatewayToken,
        storeFile: resultStoreFile(config),
        knownCameras: config.cameras.map((camera) => ({ id: camera.id, name: camera.name })),
        localCameraStates: () => (stage ? stage.cameraStatuses() : {}),
        views,
        settingsFile: {
          configFile: options.configFile ?? null,
          env: options.env,
          keys: () => keyNamesOf(config.llm.api_keys_file, options.env),
          testCamera: (url) => cameraTester.test(url),
        },
        clock: systemClock,
        logger: logger.child({ stage: 'gateway' }),
      });
      const running = gateway;
      bus.events.on('dead_letter', (letter) => running.pipeline.deadLetter(letter));
      // A verdict the store cannot take (disk full) still reaches the operators watching; the bus retries storing it.
      resultsStage?.events.on('write_failed', ({ result }) => running.stream.result({ type: 'result', result: { ...result, crop_jpeg_b64: null } }));
      stops.push(gateway.stop, () => cameraTester.close());
      started.push('gateway');
    }
    if (options.opsServer) {
      ops = await startOpsServer(config.scheduler.ops.host, config.scheduler.ops.port, views, logger);
      stops.push(ops.close);
      logger.info({ ops_url: ops.url }, 'ops endpoints listening');
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const monitor = createLagMonitor(bus, watched, config.kafka.lag_poll_ms);
  registerBusMetrics(bus, monitor, registry);
  monitor.events.on('lag_failed', (failure) => logger.warn(failure, 'lag reading failed'));
  stops.unshift(async () => monitor.stop());
  logger.info({ roles: started, bus: bus.kind, gateway_url: gateway?.url }, 'roles started');
  return {
    roles: started,
    registry,
    opsUrl: ops?.url ?? null,
    gateway: gateway && gatewayToken ? { url: gateway.url, token: gatewayToken, stream: gateway.stream } : null,
    stop: stopAll,
  };
}

async function startDetection(
  config: AppConfig,
  producer: Producer,
  registry: Registry,
  logger: Logger,
): Promise<{ stage: DetectionStage | null; detector: Detector | null; stops: (() => Promise<void>)[] }> {
  const cameras = config.cameras.filter((camera) => camera.enabled);
  if (cameras.length === 0) {
    logger.info('no enabled cameras in the config; detection idles');
    return { stage: null, detector: null, stops: [] };
  }
  await ensureModelFile(modelFileSettings(config.detector));
  const detector = await createDetector(detectorSettings(config.detector));
  const stage = createDetectionStage({
    cameras: cameras.map((camera) => ({
      id: camera.id,
      source: createSource({ url: camera.url, fps: camera.fps, width: camera.width, loop: camera.loop, decode: camera.decode, fitSize: config.detector.model.input_size, ffmpegPath: config.detector.ffmpeg_path }),
      pipeline: cameraPipelineSettings(camera.id, config, camera.calibration, camera.motion_gate),
    })),
    detector,
    producer,
    topic: config.kafka.topics.detection_results.name,
    maxMessageBytes: config.kafka.max_message_bytes,
    logger,
    startSpreadMs: 1000 / Math.max(...cameras.map((camera) => camera.fps)),
  });
  registerDetectionMetrics(stage, registry);
  stage.start();
  return { stage, detector, stops: [() => stage.stop(), () => detector.close()] };
}

async function startExpander(config: AppConfig, bus: Bus, registry: Registry): Promise<Subscription> {
  const expander = createExpander(bus, expanderSettings(config));
  registerExpanderMetrics(expander, registry);
  return expander.start();
}

async function startResults(config: AppConfig, bus: Bus, registry: Registry, logger: Logger): Promise<{ stage: ResultsStage; subscription: Subscription; stop(): Promise<void> }> {
  const stage = createResultsStage(bus, resultsSettings(config));
  registerResultsMetrics(stage, registry);
  stage.events.on('pruned', ({ count }) => logger.info({ count, retention_days: config.results.retention_days }, 'results past their retention deleted'));
  stage.events.on('prune_failed', ({ error }) => logger.warn({ error }, 'deleting results past their retention failed; tried again at the next check'));
  stage.events.on('alert', ({ alert, change }) => {
    if (change !== 'folded') logger.info({ alert_id: alert.id, rule: alert.rule, camera: alert.camera_id, level: alert.level, change }, 'risk alert');
  });
  const subscription = await stage.start();
  logger.info({ file: stage.store()?.file }, 'results are stored');
  return { stage, subscription, stop: () => stage.stop() };
}

interface RunningScheduler {
  role: SchedulerRole;
  subscription: Subscription;
  stop(): Promise<void>;
}

async function startScheduler(config: AppConfig, bus: Bus, env: Env, registry: Registry, logger: Logger): Promise<RunningScheduler> {
  const role = createSchedulerRole(config, bus, env, logger);
  registerSchedulerMetrics(role.scheduler, role.circuit, registry);
  if (role.pool) registerKeyPoolMetrics(role.pool, registry);
  let subscription: Subscription;
  try {
    subscription = await role.scheduler.start();
  } catch (error) {
    role.close();
    throw error;
  }
  return {
    role,
    subscription,
    // Drains first (in-flight assessments finish and commit), then closes the pool their leases came from.
    async stop() {
      await subscription.stop(config.scheduler.drain_timeout_ms);
      role.close();
    },
  };
}

function processViews(config: AppConfig, registry: Registry, roles: readonly Role[], scheduler: RunningScheduler | null, consumers: readonly { role: Role; subscription: Subscription }[]) {
  return {
    registry,
    health: () => ({
      ok: scheduler === null || scheduler.subscription.state !== 'stopped',
      instance_id: config.instance_id,
      roles,
      tasks_in_flight: scheduler?.role.scheduler.inFlight() ?? 0,
      owned_partitions: scheduler?.role.pool?.health().owned_partitions ?? null,
      llm_endpoint_circuit: scheduler?.role.circuit?.state() ?? null,
    }),
    readiness: () => {
      const reasons = consumers.filter(({ subscription }) => subscription.state === 'stopped').map(({ role, subscription }) => `${role} is ${subscription.state}`);
      return { ready: reasons.length === 0, reasons };
    },
    keyPoolHealth: () => scheduler?.role.pool?.health() ?? null,
  };
}
