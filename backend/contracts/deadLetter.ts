// dlq: a message a stage could not handle, kept byte for byte with the reason, for inspection and replay.
import { z } from 'zod';
import { epochMs, schemaVersion } from './common.js';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

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
      topic: z.string().min(1).max(255),
      partition: z.number().int().nonnegative(),
      offset: z.string().regex(/^\d+$/).describe('Kafka offsets exceed 2^53, so they travel as decimal strings.'),
      timestamp_ms: epochMs.nullable().describe('Broker timestamp; null when it was outside this range (see metadata_raw).'),
      key_b64: z.string().nullable().describe('Original key bytes, base64 (null: no key); the first bytes only when key_truncated.'),
      key_truncated: z.boolean(),
      value_b64: z
        .string()
        .nullable()
        .describe('Original value bytes, base64; null for a tombstone (no value), "" for an empty value; the first bytes only when value_truncated.'),
      value_bytes: z.number().int().nonnegative().nullable().describe('Size of the original value (null: tombstone).'),
      value_sha256: sha256Hex.nullable().describe('SHA-256 of the original value, hex (null: tombstone).'),
      value_truncated: z.boolean().describe('True when the whole value did not fit in a dead letter: value_b64 holds its first bytes.'),
      metadata_raw: z
        .record(z.string(), z.string().max(256))
        .nullable()
        .describe('Record metadata that was outside the ranges above, as text (e.g. a negative broker timestamp); null when all fit.'),
    }),
  })
  .describe('A message that failed at a stage. Topic dlq, key = original key.');

export type DeadLetterMessage = z.infer<typeof deadLetterMessage>;
