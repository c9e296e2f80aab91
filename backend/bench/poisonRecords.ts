// Records another team's producer could write to detection-results, of every kind that once stopped a partition
// (issue 11), each with the outcome the expander owes it: one dead letter, or a task.
import { randomBytes } from 'node:crypto';
import { noConflictMeasures, type DetectionResultMessage } from '../contracts/index.js';
import { valueBudget } from '../bus/messageSize.js';

export interface PoisonRecord {
  kind: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Broker timestamp as the producer sets it (Kafka's are 64-bit, so any decimal). */
  timestamp?: string;
  expect: 'dead_letter' | 'task';
}

const YEAR_MS = 365 * 86_400_000;
/** Frame id of the one valid record of the burst, whose task is its outcome. */
export const LARGE_VALID_FRAME = 'poison-large-valid';
const MAX_CROP_CHARS = 512 * 1024;
const POISON_X_PX = 700_000;

/** A valid frame of `cameraId` with one moving person–car group at `x` (frames far apart in x are not repeats). */
export function benchFrame(cameraId: string, frameId: string, capturedAtMs: number, x: number): DetectionResultMessage {
  return {
    schema_version: 1,
    camera_id: cameraId,
    frame_id: frameId,
    captured_at_ms: capturedAtMs,
    frame_width: 1_000_000,
    frame_height: 1000,
    model: 'bench',
    processing_ms: 1,
    detections: [],
    tracks: [],
    groups: [
      {
        group_id: 'g1',
        track_ids: [1, 2],
        members_by_class: { person: 1, car: 1 },
        region: [x, 0, x + 200, 200],
        min_person_vehicle_distance_px: 5,
        density: 0.3,
        mean_speed_px_s: 20,
        stationary: false,
        ...noConflictMeasures(),
        crop_jpeg_b64: null,
      },
    ],
    thumbnail_jpeg_b64: null,
  };
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/**
 * A valid frame as large as the limit allows, its crop filling it. Its task does not fit with the crop: the task
 * repeats the 128-character group id outside the group and adds a task id (also its 36-byte key) and deadlines.
 */
function largeValidFrame(cameraId: string, nowMs: number, maxMessageBytes: number): Buffer {
  const frame = benchFrame(cameraId, LARGE_VALID_FRAME, nowMs, POISON_X_PX + 40_000);
  const groups = frame.groups.map((group) => ({ ...group, group_id: 'g'.repeat(128) }));
  const room = valueBudget(maxMessageBytes, cameraId) - json({ ...frame, groups }).byteLength - 10;
  const crop = 'A'.repeat(Math.max(0, Math.min(MAX_CROP_CHARS, Math.floor(room / 4) * 4)));
  return json({ ...frame, groups: groups.map((group) => ({ ...group, crop_jpeg_b64: crop })) });
}

export function poisonRecords(cameraId: string, nowMs: number, maxMessageBytes: number): PoisonRecord[] {
  const key = Buffer.from(cameraId);
  // Far right of the bench frame, where the bench's valid frames never are (so none is a "repeat" of them).
  const frame = (frameId: string, x: number, capturedAtMs = nowMs): DetectionResultMessage => benchFrame(cameraId, frameId, capturedAtMs, POISON_X_PX + x);
  const dead = (kind: string, value: Buffer | null, more: Partial<PoisonRecord> = {}): PoisonRecord => ({ kind, key, value, expect: 'dead_letter', ...more });
  const duplicateGroups = frame('poison-duplicate-groups', 10_000);
  return [
    dead('negative_broker_timestamp', Buffer.from('not json'), { timestamp: '-5' }),
    dead('broker_timestamp_beyond_2_53', Buffer.from('not json'), { timestamp: '9007199254740993' }),
    // base64 makes its dead letter a third larger than the dlq accepts: it must be reduced, not retried.
    dead('bad_record_near_the_limit', Buffer.alloc(Math.floor(valueBudget(maxMessageBytes, key) * 0.9), 0x78)),
    // One frame far in the future once made every later frame of its camera a "repeat".
    dead('capture_time_100_years_ahead', json(frame('poison-future', 20_000, nowMs + 100 * YEAR_MS))),
    dead('capture_time_near_2_53', json(frame('poison-2-53', 30_000, 2 ** 53 - 1000))),
    dead('duplicate_group_ids', json({ ...duplicateGroups, groups: [...duplicateGroups.groups, { ...duplicateGroups.groups[0]!, region: [POISON_X_PX + 12_000, 0, POISON_X_PX + 12_200, 200] }] })),
    dead('frame_id_lone_surrogate', Buffer.from(JSON.stringify(frame('poison-surrogate', 50_000)).replace('"poison-surrogate"', '"\\ud800"'))),
    dead('number_1e400', Buffer.from(JSON.stringify(frame('poison-1e400', 60_000)).replace('"processing_ms":1', '"processing_ms":1e400'))),
    dead('non_utf8_key', Buffer.from('not json'), { key: Buffer.from([0xff, 0xfe, 0x00, 0x6b]) }),
    dead('tombstone', null),
    dead('empty_value', Buffer.alloc(0)),
    dead('random_bytes', randomBytes(512)),
    { kind: 'large_valid_frame', key, value: largeValidFrame(cameraId, nowMs, maxMessageBytes), expect: 'task' },
  ];
}
