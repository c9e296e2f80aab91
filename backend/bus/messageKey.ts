// A message key as the bytes it is on the wire: a string key is its UTF-8, a Uint8Array is wrapped, not copied.
import type { BusMessage } from './bus.js';

export function keyBuffer(key: BusMessage['key']): Buffer | null {
  if (key === null) return null;
  if (typeof key === 'string') return Buffer.from(key, 'utf8');
  return Buffer.isBuffer(key) ? key : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
}
