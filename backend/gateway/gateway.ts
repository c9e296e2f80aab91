// The gateway role: the HTTP API and the WebSocket stream over the results store (its own connection, so it
// serves the same whether the results role runs in this process or another one on this host), the camera wall
// from detection-results, and this process's metrics. Alert changes and new results are read back from the
// store, whoever wrote them, so the stream and a reconnecting client's catch-up see one order.
import { createSystemAlertRunner, type SystemAlertRunner } from '../alerts/systemAlertRunner.js';
import type { Bus } from '../bus/bus.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { openResultStore, type ResultStore } from '../results/resultStore.js';
import { createCameraWatch, type CameraWatchSettings } from './cameraWatch.js';
import { startGatewayServer, type GatewayServer } from './gatewayServer.js';
import type { GatewaySettings } from './gatewaySettings.js';
import type { GatewayViews } from './gatewayViews.js';
import { createPipelineStatus, type PipelineStatus } from './pipelineStatus.js';
import { siteSampleReader } from './siteSamples.js';
import { alertRoutes } from './routes/alertRoutes.js';
import { opsRoutes } from './routes/opsRoutes.js';
import { pipelineRoutes } from './routes/pipelineRoutes.js';
import { resultRoutes } from './routes/resultRoutes.js';
import { settingsRoutes, type SettingsDeps } from './routes/settingsRoutes.js';
import { uiRoutes } from './routes/uiRoutes.js';
import { createStreamHub, type StreamHub } from './streamHub.js';
import { staleCameraConditions } from './staleCameras.js';

export interface GatewayDeps {
  bus: Bus;
  settings: GatewaySettings;
  token: string;
  storeFile: string;
  knownCameras: CameraWatchSettings['known'];
  localCameraStates: CameraWatchSettings['localStates'];
  views: Pick<GatewayViews, 'registry' | 'health' | 'readiness' | 'keyPoolHealth'>;
  settingsFile: SettingsDeps;
  clock: Clock;
  logger: Logger;
}

export interface Gateway {
  readonly url: string;
  readonly store: ResultStore;
  readonly stream: StreamHub;
  readonly pipeline: PipelineStatus;
  readonly systemAlerts: SystemAlertRunner;
  stop(): Promise<void>;
}

/** Changes read per feed tick: a burst is streamed over a few ticks rather than in one long pause. */
const FEED_BATCH = 500;

export async function startGateway(deps: GatewayDeps): Promise<Gateway> {
  const { settings, clock, logger } = deps;
  const store = openResultStore(deps.storeFile);
  const stops: (() => Promise<void> | void)[] = [() => store.close()];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0)) await stop();
  };
  try {
    const pipeline = createPipelineStatus(deps.views.registry, () => clock.now());
    const stream = createStreamHub(settings.stream, {
      lastAlertSeq: () => store.alerts.lastSeq(),
      alertChangesSince: (seq, limit) => store.alerts.changesSince(seq, limit),
      now: () => clock.now(),
    });
    stops.unshift(() => stream.close());

    let alertSeq = store.alerts.lastSeq();
    let resultPosition = store.lastPosition();
    const feed = (): void => {
      try {
        for (const change of store.alerts.changesSince(alertSeq, FEED_BATCH)) {
          alertSeq = change.event.seq;
          stream.alert(change);
        }
        // Every result was deleted by retention: positions start again from the first.
        if (store.lastPosition() < resultPosition) resultPosition = 0;
        const fresh = store.storedAfter(resultPosition, FEED_BATCH);
        resultPosition = fresh.position;
        for (const { result } of fresh.results) stream.result({ type: 'result', result });
      } catch (error) {
        logger.warn({ err: error }, 'reading new alerts and results for the stream failed; tried again');
      }
    };
    const feedTimer = setInterval(feed, settings.feedEveryMs);
    stops.unshift(() => clearInterval(feedTimer));

    const cameras = createCameraWatch(
      deps.bus,
      { group: settings.cameraGroup, topic: settings.detectionTopic, known: deps.knownCameras, staleAfterMs: settings.staleCameraMs, localStates: deps.localCameraStates, onThumbnail: (message) => stream.thumbnail(message) },
      clock,
    );
    await cameras.start();
    stops.unshift(() => cameras.stop());

    const snapshot = (): void => {
      stream.snapshot({ type: 'cameras', cameras: cameras.cameras() });
      const health = deps.views.keyPoolHealth();
      if (health) stream.snapshot({ type: 'key_pool', health });
      pipeline.sample().then(
        (sample) => stream.snapshot({ type: 'pipeline', sample }),
        (error: unknown) => logger.warn({ err: error }, 'pipeline sample failed'),
      );
    };
    const snapshotTimer = setInterval(snapshot, settings.snapshotEveryMs);
    stops.unshift(() => clearInterval(snapshotTimer));

    // System alerts are checked where the gateway runs: over this process's metrics, those of the site's processes
    // it is told of, and every camera it sees.
    const systemAlerts = createSystemAlertRunner({
      read: siteSampleReader(deps.views.registry, settings.systemChecks.scrapeTargets, settings.systemChecks.scrapeTimeoutMs),
      extra: (samples) => staleCameraConditions(cameras.cameras(), samples),
      limits: settings.systemChecks.limits,
      everyMs: settings.systemChecks.everyMs,
      sink: {
        raise: (condition, at) => void store.alerts.raiseSystem(condition.check, condition.subject, condition.level, condition.summary, at),
        clear: (check, subject, at) => void store.alerts.clearSystem(check, subject, at),
        open: () => store.alerts.openSystem(),
      },
      clock,
      onSinkFailed(condition, error) {
        logger.warn({ err: error, check: condition?.check }, 'a system alert could not be stored; connected clients are told directly');
        if (condition) stream.notice({ type: 'notice', at_ms: clock.now(), ...condition });
      },
    });
    systemAlerts.start();
    stops.unshift(() => systemAlerts.stop());

    const views: GatewayViews = { ...deps.views, store, cameras: () => cameras.cameras(), pipeline: () => pipeline.sample() };
    const routes = [
      ...opsRoutes(views),
      ...alertRoutes(() => store.alerts, { maxSnoozeMs: settings.maxSnoozeMs, onChange: feed }, clock),
      ...resultRoutes(() => store),
      ...pipelineRoutes(views),
      ...settingsRoutes(deps.settingsFile),
      ...uiRoutes(settings.uiDir),
    ];
    const server: GatewayServer = await startGatewayServer({ host: settings.host, port: settings.port, token: deps.token, corsOrigins: settings.corsOrigins, maxBodyBytes: settings.maxBodyBytes }, routes, stream, logger);
    stops.unshift(() => server.close());
    return { url: server.url, store, stream, pipeline, systemAlerts, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
