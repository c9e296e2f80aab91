// detection-results: what one processed frame of one camera contained.
import { z } from 'zod';
import { box, cameraId, className, epochMs, frameId, jpegBase64, schemaVersion, score01, wellFormed } from './common.js';
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
    model: wellFormed(z.string().min(1).max(128)).describe('Detector model name.'),
    processing_ms: z.number().nonnegative().describe('Decode-to-publish time of this frame.'),
    detections: z.array(detection).max(1000),
    tracks: z.array(track).max(1000),
    groups: z
      .array(emittedGroup)
      .max(200)
      .describe('Groups that appeared or changed materially in this frame; group_id unique within the frame (JSON Schema cannot say this; consumers refuse it).'),
    thumbnail_jpeg_b64: jpegBase64.nullable().describe('Small frame preview for the camera wall.'),
  })
  .superRefine((frame, ctx) => {
    // Task ids derive from (camera, frame, group): two groups with one id would make one task id with two contents.
    const seen = new Set<string>();
    frame.groups.forEach((group, index) => {
      if (seen.has(group.group_id)) ctx.addIssue({ code: 'custom', path: ['groups', index, 'group_id'], message: `duplicate group_id "${group.group_id}" in this frame` });
      seen.add(group.group_id);
    });
  })
  .describe('One processed frame of one camera. Topic detection-results, key camera_id.');

export type Detection = z.infer<typeof detection>;
export type Track = z.infer<typeof track>;
export type EmittedGroup = z.infer<typeof emittedGroup>;
export type DetectionResultMessage = z.infer<typeof detectionResultMessage>;
