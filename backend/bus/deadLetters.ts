// Turning a message a stage could not handle into a DeadLetterMessage for the dlq topic: byte for byte when it fits,
// reduced (the original's size, hash and first bytes) when it does not. Never throws, whatever the record holds:
// a dead letter that cannot be built or sent would stop its partition for good (issue 11).
import { createHash } from 'node:crypto';
import { encodeMessage, MESSAGE_SCHEMAS, type DeadLetterMessage } from '../contracts/index.js';
import { knownSecrets } from '../core/redact.js';
import type { BusOutput, BusRecord } from './bus.js';
import { fitsInMessage, valueBudget } from './messageSize.js';

export interface DeadLetterReason {
  code: string;
  message: string;
  path: string | null;
}

export interface DeadLetterTarget {
  dlqTopic: string;
  stage: string;
  /** The dlq topic's limit (kafka.max_message_bytes): a dead letter over it would be refused on every retry. */
  maxMessageBytes: number;
}

export interface DeadLetter {
  output: BusOutput;
  /** The value (or key, or metadata) could not be kept as it was: see the original's *_truncated and metadata_raw. */
  reduced: boolean;
}

/** Keys are ids; one longer than this keeps its first bytes (and the dead letter's own key is those bytes). */
const KEY_KEEP_BYTES = 4096;
/** A reduced dead letter keeps this much of the value's start: enough to recognise what was sent. */
const VALUE_HEAD_BYTES = 64 * 1024;
const RAW_TEXT_CHARS = 256;

type Original = DeadLetterMessage['original'];
type Metadata = Pick<Original, 'topic' | 'partition' | 'offset' | 'timestamp_ms' | 'metadata_raw'>;

export function buildDeadLetter(target: DeadLetterTarget, record: BusRecord, reason: DeadLetterReason, attempts: number, nowMs: number): DeadLetter {
  const metadata = originalMetadata(record);
  const key = record.key === null || record.key.byteLength <= KEY_KEEP_BYTES ? record.key : record.key.subarray(0, KEY_KEEP_BYTES);
  const valueSha256 = record.value === null ? null : createHash('sha256').update(record.value).digest('hex');
  const head = (bytes: number): Original => ({
    ...metadata,
    key_b64: key === null ? null : Buffer.from(key).toString('base64'),
    key_truncated: key !== record.key,
    value_b64: record.value === null ? null : Buffer.from(record.value.subarray(0, bytes)).toString('base64'),
    value_bytes: record.value?.byteLength ?? null,
    value_sha256: valueSha256,
    value_truncated: record.value !== null && bytes < record.value.byteLength,
  });
  const letter = (original: Original): DeadLetterMessage => ({
    schema_version: 1,
    stage: target.stage.slice(0, 64) || 'unknown',
    attempts: Number.isSafeInteger(attempts) && attempts > 0 ? attempts : 1,
    failed_at_ms: Math.max(0, Math.trunc(nowMs)),
    // An error text can quote anything (a URL, a provider reply): scrub known secrets before it is stored.
    error: { code: reason.code.slice(0, 64) || 'unknown', message: knownSecrets.scrub(reason.message).slice(0, 4000), path: reason.path?.slice(0, 512) ?? null },
    original,
  });
  const fitting = (message: DeadLetterMessage): BusOutput | null => {
    const encoded = encodeMessage(MESSAGE_SCHEMAS.DeadLetterMessage, message, { maxBytes: Number.MAX_SAFE_INTEGER });
    if (!encoded.ok) return null;
    const output = { topic: target.dlqTopic, key, value: encoded.value };
    return fitsInMessage(output, target.maxMessageBytes) ? output : null;
  };
  const changed = key !== record.key || metadata.metadata_raw !== null;
  const whole = fitting(letter(head(record.value?.byteLength ?? 0)));
  if (whole) return { output: whole, reduced: changed };
  // base64 turns 3 bytes into 4 characters: the room left beside everything else decides how much of the start fits.
  const empty = letter(head(0));
  const room = valueBudget(target.maxMessageBytes, key) - Buffer.byteLength(JSON.stringify(empty), 'utf8');
  const reduced = fitting(letter(head(Math.max(0, Math.min(VALUE_HEAD_BYTES, Math.floor(room / 4) * 3)))));
  if (reduced) return { output: reduced, reduced: true };
  return { output: { topic: target.dlqTopic, key: null, value: JSON.stringify({ ...empty, error: { ...empty.error, message: empty.error.message.slice(0, 200) } }) }, reduced: true };
}

/** Topic, partition, offset and timestamp within the contract's ranges; what is outside them is kept as text. */
function originalMetadata(record: BusRecord): Metadata {
  const raw: Record<string, string> = {};
  const keep = <V>(field: string, value: unknown, valid: boolean, fallback: V): V => {
    if (valid) return value as V;
    raw[field] = String(value).slice(0, RAW_TEXT_CHARS);
    return fallback;
  };
  const { topic, partition, offset, timestampMs } = record;
  const fields = {
    topic: keep('topic', topic, typeof topic === 'string' && topic.length > 0 && topic.length <= 255, '?'),
    partition: keep('partition', partition, Number.isSafeInteger(partition) && partition >= 0, 0),
    offset: keep('offset', offset, typeof offset === 'string' && /^\d{1,20}$/.test(offset), '0'),
    timestamp_ms: keep<number | null>('timestamp_ms', timestampMs, Number.isSafeInteger(timestampMs) && timestampMs >= 0, null),
  };
  return { ...fields, metadata_raw: Object.keys(raw).length > 0 ? raw : null };
}
