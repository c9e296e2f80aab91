import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { filtersAbortedTransactions } from '../../../backend/bus/kafka/abortedTransactionFilter.js';
import { createKafkaClient } from '../../../backend/bus/kafka/kafkaClient.js';
import { createLogger } from '../../../backend/core/logger.js';
import { testKafkaSettings } from '../../support/kafkaFixtures.js';

function traceLogger() {
  const chunks: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => void (chunks.push(chunk.toString('utf8')), done()) });
  return { logger: createLogger({ level: 'trace', format: 'json', destination: sink }), lines: () => chunks.join('').split('\n').filter(Boolean) };
}

describe('bus > kafka client', () => {
  it('logs kafkajs protocol lines that carry Buffers without throwing inside kafkajs', () => {
    const { logger, lines } = traceLogger();
    const kafkaLogger = createKafkaClient(testKafkaSettings('127.0.0.1:1'), logger).logger();
    // kafkajs debug lines carry raw protocol Buffers; pino's redaction walk threw on them inside the consumer loop.
    const entry = { broker: '127.0.0.1:1', correlationId: 7, payload: Buffer.from('abc'), request: { data: Buffer.alloc(5), key: new Uint8Array(2) } };
    expect(() => kafkaLogger.debug('Response Fetch(key: 1, version: 11)', entry)).not.toThrow();
    const logged = JSON.parse(lines().at(-1)!) as Record<string, unknown>;
    expect(logged).toMatchObject({ msg: 'Response Fetch(key: 1, version: 11)', broker: '127.0.0.1:1', payload: '<3 bytes>', request: { data: '<5 bytes>', key: '<2 bytes>' } });
  });

  it('logs CONCURRENT_TRANSACTIONS answers (expected and retried) at debug, other kafkajs errors as errors', () => {
    const { logger, lines } = traceLogger();
    const kafkaLogger = createKafkaClient(testKafkaSettings('127.0.0.1:1'), logger).logger();
    kafkaLogger.error('Response AddOffsetsToTxn(key: 25, version: 1)', { error: 'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing' });
    kafkaLogger.error('Response Produce(key: 0, version: 7)', { error: 'The broker received an out of order sequence number' });
    expect(lines().map((line) => (JSON.parse(line) as { level: number }).level)).toEqual([20, 50]);
  });

  it('runs only with the kafkajs that filters aborted transactions in any order', () => {
    expect(filtersAbortedTransactions()).toBe(true);
    // kafkajs 2.2.4 as published: one aborted transaction stepped into per record, in the broker's (abort) order.
    const unpatched: Parameters<typeof filtersAbortedTransactions>[0] = ({ messages, abortedTransactions }) => {
      const remaining = [...abortedTransactions];
      const aborted = new Set<string>();
      return messages.filter((message) => {
        if (remaining.length > 0 && BigInt(message.offset) >= BigInt(remaining[0]!.firstOffset)) aborted.add(remaining.shift()!.producerId);
        return !aborted.has(message.batchContext.producerId);
      });
    };
    expect(filtersAbortedTransactions(unpatched)).toBe(false);
  });
});
