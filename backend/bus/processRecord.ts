// One consumed record through a stage: decode against the contract, check its event time, run the stage with
// retries for retriable failures, check what it emits, and turn whatever cannot be handled into a dead letter.
// Never throws and never retries a dead letter: every record gets exactly one outcome (issue 11).
import type { z } from 'zod';
import { decodeMessage } from '../contracts/index.js';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import { retry, type RetryPolicy } from '../core/retry.js';
import type { BusOutput, BusRecord } from './bus.js';
import { buildDeadLetter, type DeadLetterReason } from './deadLetters.js';
import { checkMessageSize } from './messageSize.js';

export interface RecordProcessing<T> {
  schema: z.ZodType<T>;
  stage: string;
  dlqTopic: string;
  maxMessageBytes: number;
  /** How far an event time may lie ahead of this host's clock (hosts and cameras disagree a little). */
  maxClockSkewMs: number;
  eventTime?: { path: string; of(message: T): number };
  /** skip: a view's record it cannot take gets no dead letter (see ConsumeOptionsBase.unreadable). */
  unreadable?: 'dead_letter' | 'skip';
  retryPolicy: RetryPolicy;
  clock: Clock;
  run(message: T, record: BusRecord, signal: AbortSignal): Promise<BusOutput[]>;
}

export interface RecordOutcome {
  outputs: BusOutput[];
  /** Set when the record went to the DLQ instead. */
  deadLetter: { code: string; reason: string; reduced: boolean } | null;
  /** Set when a view passed over the record (nothing written for it). */
  skipped?: { code: string; reason: string };
}

const NEVER = new AbortController().signal;

type Verdict = { ok: true; outputs: BusOutput[] } | { ok: false; reason: DeadLetterReason; attempts: number };

/** `signal`: aborted when the record's outcome will not be committed any more (its partition moved); the stage may stop early. */
export async function processRecord<T>(record: BusRecord, processing: RecordProcessing<T>, signal: AbortSignal = NEVER): Promise<RecordOutcome> {
  let verdict: Verdict;
  try {
    verdict = await judge(record, processing, signal);
  } catch (error) {
    // Only a fault of our own gets here (judge handles the stage's errors); the record must still move on.
    verdict = { ok: false, reason: { code: 'stage_failed', message: errorText(error), path: null }, attempts: 1 };
  }
  if (verdict.ok) return { outputs: verdict.outputs, deadLetter: null };
  if (processing.unreadable === 'skip') return { outputs: [], deadLetter: null, skipped: { code: verdict.reason.code, reason: verdict.reason.message } };
  const { output, reduced } = buildDeadLetter(processing, record, verdict.reason, verdict.attempts, processing.clock.now());
  return { outputs: [output], deadLetter: { code: verdict.reason.code, reason: verdict.reason.message, reduced } };
}

async function judge<T>(record: BusRecord, processing: RecordProcessing<T>, signal: AbortSignal): Promise<Verdict> {
  const refuse = (code: string, message: string, path: string | null, attempts = 1): Verdict => ({ ok: false, reason: { code, message, path }, attempts });
  if (record.value === null) return refuse('tombstone', 'record has no value (a tombstone)', null);
  const decoded = decodeMessage(processing.schema, record.value, { maxBytes: processing.maxMessageBytes });
  if (!decoded.ok) return refuse(decoded.error.code, decoded.error.message, decoded.error.path);
  const now = processing.clock.now();
  if (processing.eventTime) {
    const { path, of } = processing.eventTime;
    const eventMs = of(decoded.value);
    if (eventMs > now + processing.maxClockSkewMs) {
      return refuse('event_time_in_future', `${path} is ${eventMs}, ${eventMs - now} ms ahead of this host's clock (tolerance ${processing.maxClockSkewMs} ms)`, path);
    }
  }
  let attempts = 0;
  let outputs: BusOutput[];
  try {
    outputs = await retry(
      (attempt) => {
        attempts = attempt;
        return processing.run(decoded.value, record, signal);
      },
      { ...processing.retryPolicy, clock: processing.clock },
    );
  } catch (error) {
    return refuse(error instanceof AppError ? error.code : 'stage_failed', errorText(error), null, Math.max(1, attempts));
  }
  // A stage must shrink what it emits to fit; should it not, its output would fail the commit of the whole batch.
  for (const output of outputs) {
    try {
      checkMessageSize(output.topic, output, processing.maxMessageBytes);
    } catch (error) {
      return refuse('output_too_large', errorText(error), null, attempts);
    }
  }
  return { ok: true, outputs };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
