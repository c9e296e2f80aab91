// Assessment tasks as the expander writes them, for benchmarks: a real JPEG crop and varied group features, each
// task sent to a known partition so a run can tell which instance served it.
import sharp from 'sharp';
import { createTaskId, noConflictMeasures, SCHEMA_VERSION, type AssessmentTaskMessage } from '../contracts/index.js';

/** A small street-like crop: enough to be a real JPEG the model receives, small enough for thousands of tasks. */
export async function benchCrop(): Promise<string> {
  const width = 96;
  const height = 64;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      pixels[offset] = (x * 5 + y) % 256;
      pixels[offset + 1] = (y * 4) % 256;
      pixels[offset + 2] = 128;
    }
  }
  const jpeg = await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 70 }).toBuffer();
  return jpeg.toString('base64');
}

export function benchTask(index: number, nowMs: number, ttlMs: number, crop: string): AssessmentTaskMessage {
  const cameraId = `bench-cam-${String(index % 50).padStart(3, '0')}`;
  const frameId = `${nowMs}-${index}`;
  const groupId = 'g1';
  const x = (index * 37) % 1200;
  return {
    schema_version: SCHEMA_VERSION,
    task_id: createTaskId(cameraId, frameId, groupId),
    camera_id: cameraId,
    frame_id: frameId,
    group_id: groupId,
    captured_at_ms: nowMs,
    created_at_ms: nowMs,
    deadline_ms: nowMs + ttlMs,
    priority: index % 10,
    group: {
      group_id: groupId,
      track_ids: [index % 1000, (index + 1) % 1000],
      members_by_class: { person: 1 + (index % 3), car: 1 + (index % 2) },
      region: [x, 200, x + 180, 380],
      min_person_vehicle_distance_px: (index * 7) % 120,
      density: 0.4 + (index % 5) / 10,
      mean_speed_px_s: (index * 13) % 200,
      stationary: index % 7 === 0,
      ...noConflictMeasures(),
    },
    crop_jpeg_b64: crop,
  };
}
