// Turning a message a stage could not handle into a DeadLetterMessage for the dlq topic, byte for byte.
import { encodeMessage, MESSAGE_SCHEMAS, type DeadLetterMessage } from '../contracts/index.js';
import { BugError } from '../core/errors.js';
import { knownSecrets } from '../core/redact.js';
import type { BusOutput, BusRecord } from './bus.js';

export interface DeadLetterReason {
  code: string;
  message: string;
  path: string | null;
}

export function deadLetterOutput(dlqTopic: string, record: BusRecord, stage: string, reason: DeadLetterReason, attempts: number, nowMs: number): BusOutput {
  const message: DeadLetterMessage = {
    schema_version: 1,
    stage,
    attempts,
    failed_at_ms: nowMs,
    // An error text can quote anything (a URL, a provider reply): scrub known secrets before it is stored.
    error: { code: reason.code.slice(0, 64), message: knownSecrets.scrub(reason.message).slice(0, 4000), path: reason.path?.slice(0, 512) ?? null },
    original: {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      timestamp_ms: record.timestampMs,
      key_b64: record.key === null ? null : Buffer.from(record.key, 'utf8').toString('base64'),
      value_b64: Buffer.from(record.value).toString('base64'),
    },
  };
  // The DLQ must take any message the topics accept (base64 grows it by a third), so no size limit here.
  const encoded = encodeMessage(MESSAGE_SCHEMAS.DeadLetterMessage, message, { maxBytes: Number.MAX_SAFE_INTEGER });
  if (!encoded.ok) throw new BugError(`dead letter does not match its own contract: ${encoded.error.message}`);
  return { topic: dlqTopic, key: record.key, value: encoded.value };
}
