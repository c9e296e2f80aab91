// Bus messages as kafkajs takes them: keys stay bytes (a Uint8Array is wrapped, not copied or re-encoded).
import type { Message } from 'kafkajs';
import type { BusMessage } from '../bus.js';

export function toKafkaMessage(message: BusMessage): Message {
  const { key } = message;
  const bytes = key === null || typeof key === 'string' || Buffer.isBuffer(key) ? key : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  return { key: bytes, value: message.value };
}
