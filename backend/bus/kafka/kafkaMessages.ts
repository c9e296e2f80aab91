// Bus messages as kafkajs takes them: keys stay bytes.
import type { Message } from 'kafkajs';
import type { BusMessage } from '../bus.js';
import { keyBuffer } from '../messageKey.js';

export function toKafkaMessage(message: BusMessage): Message {
  return { key: keyBuffer(message.key), value: message.value };
}
