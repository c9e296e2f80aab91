// One consumed record through a stage: decode against the contract, run the stage with retries for retriable
// failures, and turn what cannot be handled into a dead letter. Never throws: every record gets an outcome.
import type { z } from 'zod';
import { decodeMessage } from '../contracts/index.js';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import { retry, type RetryPolicy } from '../core/retry.js';
import type { BusOutput, BusRecord } from './bus.js';
import { deadLetterOutput } from './deadLetters.js';

export interface RecordProcessing<T> {
  schema: z.ZodType<T>;
  stage: string;
  dlqTopic: string;
  maxMessageBytes: number;
  retryPolicy: RetryPolicy;
  clock: Clock;
  run(message: T, record: BusRecord): Promise<BusOutput[]>;
}

export interface RecordOutcome {
  outputs: BusOutput[];
  /** Set when the record went to the DLQ: its error code. */
  deadLetter: string | null;
}

export async function processRecord<T>(record: BusRecord, processing: RecordProcessing<T>): Promise<RecordOutcome> {
  const decoded = decodeMessage(processing.schema, record.value, { maxBytes: processing.maxMessageBytes });
  if (!decoded.ok) {
    const { code, message, path } = decoded.error;
    return { outputs: [deadLetterOutput(processing.dlqTopic, record, processing.stage, { code, message, path }, 1, processing.clock.now())], deadLetter: code };
  }
  let attempts = 0;
  try {
    const outputs = await retry(
      (attempt) => {
        attempts = attempt;
        return processing.run(decoded.value, record);
      },
      { ...processing.retryPolicy, clock: processing.clock },
    );
    return { outputs, deadLetter: null };
  } catch (error) {
    const code = error instanceof AppError ? error.code : 'stage_failed';
    const message = error instanceof Error ? error.message : String(error);
    return { outputs: [deadLetterOutput(processing.dlqTopic, record, processing.stage, { code, message, path: null }, attempts, processing.clock.now())], deadLetter: code };
  }
}
