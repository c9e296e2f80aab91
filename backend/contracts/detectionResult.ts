// detection-results: what one processed frame of one camera contained.
import { z } from 'zod';
import { box, cameraId, className, epochMs, frameId, jpegBase64, schemaVersion, score01 } from './common.js';
import { groupFeatures } from './group.js';

export const detection = z.object({
  class_name: className,
  score: score01,
  box,
  track_id: z.number().int().nonnegative().nullable().describe('Track this detection was assigned to, if any.'),
});

export const track = z.object({
  track_id: z.number().int().nonnegative(),
  class_name: className,
  box,
  age_frames: z.number().int().nonnegative().describe('Frames since the track was first seen.'),
  velocity_px_s: z.tuple([z.number(), z.number()]).describe('[vx, vy] in pixels per second.'),
});

export const emittedGroup = groupFeatures.extend({
  crop_jpeg_b64: jpegBase64.nullable().describe('Crop around the group region for the assessor; null if not rendered.'),
});

export const detectionResultMessage = z
  .object({
    schema_version: schemaVersion,
    camera_id: cameraId,
    frame_id: frameId,
    captured_at_ms: epochMs,
    frame_width: z.number().int().positive(),
    frame_height: z.number().int().positive(),
    model: z.string().min(1).max(128).describe('Detector model name.'),
    processing_ms: z.number().nonnegative().describe('Decode-to-publish time of this frame.'),
    detections: z.array(detection).max(1000),
    tracks: z.array(track).max(1000),
    groups: z.array(emittedGroup).max(200).describe('Groups that appeared or changed materially in this frame.'),
    thumbnail_jpeg_b64: jpegBase64.nullable().describe('Small frame preview for the camera wall.'),
  })
  .describe('One processed frame of one camera. Topic detection-results, key camera_id.');

export type Detection = z.infer<typeof detection>;
export type Track = z.infer<typeof track>;
export type EmittedGroup = z.infer<typeof emittedGroup>;
export type DetectionResultMessage = z.infer<typeof detectionResultMessage>;
