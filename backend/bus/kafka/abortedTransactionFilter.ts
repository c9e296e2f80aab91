// kafkajs 2.2.4 hands read_committed consumers records of aborted transactions when the broker lists those
// transactions out of start order (it lists them in abort order), which happens whenever a fenced zombie's
// transaction started before another one that was aborted first. patches/kafkajs+2.2.4.patch (applied by
// patch-package at install) fixes its filter; exactly-once rests on it, so a Kafka bus refuses to run without it.
import { createRequire } from 'node:module';
import { KafkaError } from './kafkaErrors.js';

export type AbortFilter = (input: {
  messages: { offset: string; key: Buffer | null; batchContext: { producerId: string; inTransaction: boolean } }[];
  abortedTransactions: { producerId: string; firstOffset: string }[];
}) => unknown[];

const require = createRequire(import.meta.url);

/** Runs the filter on the case unpatched kafkajs gets wrong: producer 1 opened first, producer 2 aborted first. */
export function filtersAbortedTransactions(filter: AbortFilter = require('kafkajs/src/consumer/filterAbortedMessages.js') as AbortFilter): boolean {
  const record = (offset: string, producerId: string) => ({ offset, key: Buffer.from('k'), batchContext: { producerId, inTransaction: true } });
  const delivered = filter({
    messages: [record('0', '1'), record('1', '2')],
    abortedTransactions: [{ producerId: '2', firstOffset: '1' }, { producerId: '1', firstOffset: '0' }],
  });
  return delivered.length === 0;
}

let verified = false;

export function assertAbortedTransactionsFiltered(): void {
  if (verified) return;
  if (!filtersAbortedTransactions()) {
    throw new KafkaError(
      'kafka_client_unpatched',
      'kafkajs is not patched (patches/kafkajs+2.2.4.patch): read_committed consumers would receive records of aborted transactions. ' +
        'Run `npx patch-package` in the install directory (npm install runs it unless scripts are disabled).',
    );
  }
  verified = true;
}
