// The size limit every producer checks before sending: an oversize message is refused loudly, never dropped.
// Sizes count Kafka's framing, so what passes here is also what the broker accepts (max.message.bytes applies
// to a whole record batch, header and compression framing included).
import { AppError } from '../core/errors.js';
import type { BusMessage } from './bus.js';

/** Upper bound of one record's own framing in a v2 record batch (length, attributes, deltas, lengths: varints). */
export const RECORD_OVERHEAD_BYTES = 40;
/** Reserved per batch: its 61-byte header, gzip's framing of incompressible data (~100 bytes per MiB), margin. */
export const BATCH_FRAMING_BYTES = 984;

export class MessageTooLargeError extends AppError {
  constructor(topic: string, size: number, limit: number) {
    const room = batchBudget(limit) - RECORD_OVERHEAD_BYTES;
    super('message_too_large', `message for ${topic} is ${size} bytes (key and value); ${room} fit in the limit of ${limit} (kafka.max_message_bytes) beside Kafka's framing`);
  }
}

export function keyBytes(key: BusMessage['key']): number {
  if (key === null) return 0;
  return typeof key === 'string' ? Buffer.byteLength(key, 'utf8') : key.byteLength;
}

/** What one message costs inside a record batch. */
export function recordBytes(message: BusMessage): number {
  return Buffer.byteLength(message.value, 'utf8') + keyBytes(message.key) + RECORD_OVERHEAD_BYTES;
}

/** The room a batch has for records under `limit`. */
export function batchBudget(limit: number): number {
  return limit - BATCH_FRAMING_BYTES;
}

export function checkMessageSize(topic: string, message: BusMessage, limit: number): void {
  if (!fitsInMessage(message, limit)) throw new MessageTooLargeError(topic, recordBytes(message) - RECORD_OVERHEAD_BYTES, limit);
}

/**
 * Splits messages, in order, into sends whose batches stay under `limit`: kafkajs puts every message of one send
 * for a partition into one batch, so two messages that each fit could together be refused by the broker.
 */
export function chunkBySize<M extends BusMessage>(messages: readonly M[], limit: number): M[][] {
  const budget = batchBudget(limit);
  const chunks: M[][] = [];
  let current: M[] = [];
  let used = 0;
  for (const message of messages) {
    const size = recordBytes(message);
    if (current.length > 0 && used + size > budget) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(message);
    used += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Whether a message passes checkMessageSize: for a stage that shrinks what it emits until it fits. */
export function fitsInMessage(message: BusMessage, limit: number): boolean {
  return recordBytes(message) <= batchBudget(limit);
}

/** The largest value that fits beside `key`: for a stage that fits its message to the limit by value size. */
export function valueBudget(limit: number, key: BusMessage['key']): number {
  return batchBudget(limit) - RECORD_OVERHEAD_BYTES - keyBytes(key);
}
