// The gateway's API views and its WebSocket stream (/ws): one typed stream of what the control room shows.
import { z } from 'zod';
import { alertEventView, alertView } from './alert.js';
import { box, epochMs, jpegBase64 } from './common.js';
import { detection } from './detectionResult.js';
import { keyPoolHealth } from './keyPoolHealth.js';
import { riskAssessmentResultMessage, riskLevel } from './riskAssessmentResult.js';

/** A decoder's states (starting → live ⇄ reconnecting → failed), or `stale`: no frame for a while from a camera decoded elsewhere. */
export const CAMERA_STATES = ['starting', 'live', 'reconnecting', 'failed', 'ended', 'stopped', 'stale', 'unknown'] as const;

export const cameraView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  state: z.enum(CAMERA_STATES),
  reason: z.string().nullable().describe("Why it is not live (the decoder's last error, credentials removed)."),
  last_frame_ms: epochMs.nullable(),
  detections: z.number().int().nonnegative().describe('In its latest frame.'),
  groups: z.number().int().nonnegative().describe('Groups that appeared or changed in its latest frame.'),
  frames_read: z.number().int().nonnegative().nullable().describe('Frames its decoder delivered since start (null: decoded in another process).'),
  frames_skipped: z.number().int().nonnegative().nullable().describe('Of those, dropped because detection had not taken the previous one: the wall warns when this grows.'),
  decode: z.enum(['key_frames', 'all']).nullable().describe('key_frames: only key frames are decoded; all: every frame (null: decoded in another process).'),
  decode_note: z.string().nullable().describe('Why every frame is decoded although key frames were asked for (a GOP longer than the sampling interval).'),
});
export type CameraView = z.infer<typeof cameraView>;

export const pipelineSample = z.object({
  at_ms: epochMs,
  lag: z.array(z.object({ group: z.string(), topic: z.string(), partition: z.number().int(), lag: z.number() })),
  consumer_rate: z.array(z.object({ group: z.string(), per_second: z.number() })),
  throughput_per_s: z.number().describe('Verdicts stored per second over the last minute.'),
  error_rate: z.number().describe('Share of the last minute\'s verdicts without an LLM verdict.'),
  latency_ms: z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }).describe('Capture to stored, from the histogram since start.'),
  dead_letters: z.array(z.object({ stage: z.string(), code: z.string(), count: z.number() })),
  recent_dead_letters: z.array(z.object({ at_ms: epochMs, stage: z.string(), topic: z.string(), code: z.string(), reason: z.string() })),
});
export type PipelineSample = z.infer<typeof pipelineSample>;

export const streamMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), server_time_ms: epochMs, last_alert_seq: z.number().int().nonnegative().describe('Give it back as ?since= on reconnect.') }),
  z.object({
    type: z.literal('thumbnail'),
    camera_id: z.string(),
    captured_at_ms: epochMs,
    frame_width: z.number().int().positive(),
    frame_height: z.number().int().positive(),
    jpeg_b64: jpegBase64.nullable(),
    detections: z.array(detection),
    groups: z.array(z.object({ group_id: z.string(), region: box })),
  }),
  z.object({
    type: z.literal('result'),
    result: riskAssessmentResultMessage.describe('Without its crop (GET /api/results/:task_id/crop). Key by task_id: one the store could not write is sent at once, and again once stored.'),
  }),
  z.object({ type: z.literal('alert'), event: alertEventView, alert: alertView }),
  z.object({
    type: z.literal('notice'),
    at_ms: epochMs,
    check: z.string(),
    subject: z.string(),
    level: riskLevel,
    summary: z.string().describe('A system condition that could not be stored as an alert (the store itself is failing): shown, not kept.'),
  }),
  z.object({ type: z.literal('resync'), reason: z.string().describe('More changed while away than the stream replays: reload GET /api/alerts.') }),
  z.object({ type: z.literal('cameras'), cameras: z.array(cameraView) }),
  z.object({ type: z.literal('key_pool'), health: keyPoolHealth }),
  z.object({ type: z.literal('pipeline'), sample: pipelineSample }),
]);
export type StreamMessage = z.infer<typeof streamMessage>;
