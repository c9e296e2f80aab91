// The settings view: what of the process config operators may change from the UI (cameras, Kafka brokers, system
// alert thresholds), the key names (never their values), and a one-shot detection to test a camera URL. Values are
// checked by the config's own schema when saved; this contract only shapes the transport.
import { z } from 'zod';
import { detection } from './detectionResult.js';

export const settingsCamera = z.strictObject({
  id: z.string(),
  name: z.string(),
  url: z.string().describe('As written in the file: ${VAR} references kept, a password written in place shown as ***.'),
  fps: z.number(),
  enabled: z.boolean(),
  loop: z.boolean(),
});
export type SettingsCamera = z.infer<typeof settingsCamera>;

export const ALERT_THRESHOLDS = ['max_consumer_lag', 'min_available_keys', 'min_key_success_rate', 'max_p95_latency_ms', 'max_dead_letters_per_min'] as const;
export type AlertThreshold = (typeof ALERT_THRESHOLDS)[number];
const thresholds = z.strictObject(Object.fromEntries(ALERT_THRESHOLDS.map((name) => [name, z.number()])) as Record<AlertThreshold, z.ZodNumber>);

export const settingsView = z.object({
  file: z.string().nullable().describe('The config file the settings are saved to (null: this process has none, read-only).'),
  revision: z.string().describe('Hash of the file as read: give it back when saving, so a change made meanwhile is not overwritten.'),
  cameras: z.array(settingsCamera),
  kafka_brokers: z.array(z.string()),
  alert_thresholds: thresholds,
  keys: z.array(z.object({ name: z.string(), qps_limit: z.number(), rpm_limit: z.number() })).describe('The key pool file\'s keys by name; values never leave the server.'),
  keys_file: z.string().nullable(),
});
export type SettingsView = z.infer<typeof settingsView>;

export const settingsUpdate = z.strictObject({
  revision: z.string(),
  cameras: z.array(settingsCamera).max(1000).optional(),
  kafka_brokers: z.array(z.string()).max(100).optional(),
  alert_thresholds: thresholds.partial().optional(),
});
export type SettingsUpdate = z.infer<typeof settingsUpdate>;

/** 422 from PUT /api/settings: each problem at the path of the field, in the settings' own terms (cameras[1].url). */
export const settingsProblems = z.object({ error: z.string(), problems: z.array(z.object({ path: z.string(), message: z.string() })) });
export type SettingsProblems = z.infer<typeof settingsProblems>;

export const cameraTestRequest = z.strictObject({ url: z.string().min(1).max(4096) });

export const cameraTestResult = z.object({
  ok: z.boolean(),
  /** Why no frame came (the decoder's last error), credentials removed. */
  reason: z.string().nullable(),
  frame_width: z.number().int().nullable(),
  frame_height: z.number().int().nullable(),
  jpeg_b64: z.string().nullable(),
  detections: z.array(detection),
  infer_ms: z.number().nullable(),
});
export type CameraTestResult = z.infer<typeof cameraTestResult>;
