import { describe, expect, it } from 'vitest';
import type { BusMessage } from '../../../backend/bus/bus.js';
import { batchBudget, checkMessageSize, chunkBySize, MessageTooLargeError, recordBytes, valueBudget } from '../../../backend/bus/messageSize.js';

const message = (bytes: number, key: BusMessage['key'] = null): BusMessage => ({ key, value: 'x'.repeat(bytes) });

describe('bus > messageSize', () => {
  it('counts key bytes, not characters, and Kafka framing besides', () => {
    expect(recordBytes({ key: Buffer.from([0xff, 0xfe]), value: '你' })).toBe(2 + 3 + 40);
    expect(recordBytes({ key: '你', value: '' })).toBe(3 + 40);
  });

  it('refuses a message whose batch the broker would refuse, and accepts the largest one that fits', () => {
    const limit = 65_536;
    expect(() => checkMessageSize('t', message(valueBudget(limit, 'cam')), limit)).not.toThrow();
    expect(() => checkMessageSize('t', message(valueBudget(limit, 'cam') + 1, 'cam'), limit)).toThrow(MessageTooLargeError);
  });

  it('splits sends so that no batch exceeds the limit, keeping order and every message', () => {
    const limit = 65_536;
    const messages = Array.from({ length: 9 }, (_, i) => message(20_000 + i));
    const chunks = chunkBySize(messages, limit);
    expect(chunks.flat()).toEqual(messages);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.reduce((sum, m) => sum + recordBytes(m), 0)).toBeLessThanOrEqual(batchBudget(limit));
    expect(chunkBySize([], limit)).toEqual([]);
  });
});
