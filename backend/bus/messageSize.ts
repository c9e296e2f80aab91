// The size limit every producer checks before sending: an oversize message is refused loudly, never dropped.
import { AppError } from '../core/errors.js';
import type { BusMessage } from './bus.js';

export class MessageTooLargeError extends AppError {
  constructor(topic: string, size: number, limit: number) {
    super('message_too_large', `message for ${topic} is ${size} bytes, the limit is ${limit} (kafka.max_message_bytes)`);
  }
}

export function checkMessageSize(topic: string, message: BusMessage, limit: number): void {
  const size = Buffer.byteLength(message.value, 'utf8') + (message.key === null ? 0 : Buffer.byteLength(message.key, 'utf8'));
  if (size > limit) throw new MessageTooLargeError(topic, size, limit);
}
