// assessment-tasks: one group to be assessed, with its priority and the time after which it is stale.
import { z } from 'zod';
import { cameraId, epochMs, frameId, groupId, jpegBase64, schemaVersion } from './common.js';
import { groupFeatures } from './group.js';
import { taskIdSchema } from './taskId.js';

export const TASK_PRIORITY_MAX = 9;

export const assessmentTaskMessage = z
  .object({
    schema_version: schemaVersion,
    task_id: taskIdSchema,
    camera_id: cameraId,
    frame_id: frameId,
    group_id: groupId,
    captured_at_ms: epochMs,
    created_at_ms: epochMs,
    deadline_ms: epochMs.describe('After this time the result is no longer useful to an operator; deadline_ms >= created_at_ms (JSON Schema cannot say this; consumers refuse it).'),
    priority: z
      .number()
      .int()
      .min(0)
      .max(TASK_PRIORITY_MAX)
      .describe('0 (lowest) to 9 (highest); people near moving vehicles rank highest.'),
    group: groupFeatures,
    crop_jpeg_b64: jpegBase64.nullable(),
  })
  .refine((task) => task.deadline_ms >= task.created_at_ms, {
    message: 'expected deadline_ms >= created_at_ms',
    path: ['deadline_ms'],
  })
  .describe('One group to assess. Topic assessment-tasks, key task_id.');

export type AssessmentTaskMessage = z.infer<typeof assessmentTaskMessage>;
