// dlq: a message a stage could not handle, kept byte for byte with the reason, for inspection and replay.
import { z } from 'zod';
import { epochMs, schemaVersion } from './common.js';

export const deadLetterMessage = z
  .object({
    schema_version: schemaVersion,
    stage: z.string().min(1).max(64).describe('Stage that gave up, e.g. expander.'),
    attempts: z.number().int().positive(),
    failed_at_ms: epochMs,
    error: z.object({
      code: z.string().min(1).max(64),
      message: z.string().max(4000),
      path: z.string().max(512).nullable().describe('Field path of a validation failure.'),
    }),
    original: z.object({
      topic: z.string().min(1),
      partition: z.number().int().nonnegative(),
      offset: z.string().regex(/^\d+$/).describe('Kafka offsets exceed 2^53, so they travel as decimal strings.'),
      timestamp_ms: epochMs.nullable(),
      key_b64: z.string().nullable(),
      value_b64: z.string().describe('Original value bytes, base64.'),
    }),
  })
  .describe('A message that failed at a stage. Topic dlq, key = original key.');

export type DeadLetterMessage = z.infer<typeof deadLetterMessage>;
