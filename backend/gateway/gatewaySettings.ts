// The gateway's settings, from the process config.
import { fileURLToPath } from 'node:url';
import type { SystemThresholds } from '../alerts/systemChecks.js';
import type { AppConfig } from '../config/index.js';
import type { ScrapeTarget } from './siteSamples.js';
import type { StreamSettings } from './streamHub.js';

/** Where `npm run build:web` (run by npm ci) puts the control room, beside this checkout's backend/. */
const BUILT_UI = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export interface GatewaySettings {
  host: string;
  port: number;
  corsOrigins: readonly string[];
  /** Alert actions carry a comment at most: 64 KiB is plenty and bounds what one request can make us parse. */
  maxBodyBytes: number;
  stream: StreamSettings;
  /** The stream's snapshots (cameras, key pool, pipeline) are sent this often. */
  snapshotEveryMs: number;
  /** New alert changes and results are looked for this often (they may be written by another process). */
  feedEveryMs: number;
  cameraGroup: string;
  detectionTopic: string;
  staleCameraMs: number;
  maxSnoozeMs: number;
  /** The built renderer the gateway serves at /wall, /alerts, …. */
  uiDir: string;
  systemChecks: { limits: SystemThresholds; everyMs: number; scrapeTargets: readonly ScrapeTarget[]; scrapeTimeoutMs: number };
}

export function gatewaySettings(config: AppConfig): GatewaySettings {
  // A motion-gated camera publishes a result at least every max_skip_ms, however still its scene.
  const slowestCameraMs = Math.max(1000, ...config.cameras.map((camera) => Math.max(1000 / camera.fps, camera.motion_gate?.max_skip_ms ?? 0)));
  return {
    host: config.gateway.host,
    port: config.gateway.port,
    corsOrigins: config.gateway.cors_origins,
    maxBodyBytes: 65_536,
    stream: { highWaterBytes: 1_048_576, maxQueued: 1000, maxFrameBytes: 4096, maxCatchUp: 5000 },
    snapshotEveryMs: 2000,
    feedEveryMs: 250,
    cameraGroup: `gateway-${config.instance_id}`,
    detectionTopic: config.kafka.topics.detection_results.name,
    // Ten frame intervals without a frame, and at least 10 s: a detector that is only busy is not a camera down.
    staleCameraMs: Math.max(10_000, 10 * slowestCameraMs),
    maxSnoozeMs: config.alerts.max_snooze_s * 1000,
    uiDir: BUILT_UI,
    systemChecks: {
      everyMs: config.alerts.system.evaluate_every_s * 1000,
      scrapeTargets: config.alerts.system.scrape_targets,
      scrapeTimeoutMs: config.alerts.system.scrape_timeout_ms,
      limits: {
        maxConsumerLag: config.alerts.system.max_consumer_lag,
        minAvailableKeys: config.alerts.system.min_available_keys,
        minKeySuccessRate: config.alerts.system.min_key_success_rate,
        maxP95LatencyMs: config.alerts.system.max_p95_latency_ms,
        maxDeadLettersPerMin: config.alerts.system.max_dead_letters_per_min,
      },
    },
  };
}
