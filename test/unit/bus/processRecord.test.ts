import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BusOutput, BusRecord } from '../../../backend/bus/bus.js';
import { batchBudget, recordBytes } from '../../../backend/bus/messageSize.js';
import { processRecord, type RecordProcessing } from '../../../backend/bus/processRecord.js';
import { systemClock, type Clock } from '../../../backend/core/clock.js';
import { AppError } from '../../../backend/core/errors.js';
import { assessmentTaskMessage, MESSAGE_SCHEMAS, validateMessage, type AssessmentTaskMessage, type DeadLetterMessage } from '../../../backend/contracts/index.js';
import { FakeClock } from '../../support/fakeClock.js';
import { taskMessage } from '../../support/busFixtures.js';

const LIMIT = 65_536;

function processing(run: RecordProcessing<AssessmentTaskMessage>['run'] = async () => [], clock: Clock = new FakeClock()): RecordProcessing<AssessmentTaskMessage> {
  return {
    schema: assessmentTaskMessage,
    stage: 'scheduler',
    dlqTopic: 'dlq',
    maxMessageBytes: LIMIT,
    maxClockSkewMs: 30_000,
    eventTime: { path: 'captured_at_ms', of: (task) => task.captured_at_ms },
    retryPolicy: { attempts: 2, initialDelayMs: 1, maxDelayMs: 1 },
    clock,
    run,
  };
}

function record(overrides: Partial<BusRecord> = {}): BusRecord {
  return { topic: 'assessment-tasks', partition: 3, offset: '42', key: Buffer.from('cam-001'), value: Buffer.from(JSON.stringify(taskMessage(1))), timestampMs: 1_700_000_000_000, ...overrides };
}

function letterOf(output: BusOutput): DeadLetterMessage {
  const checked = validateMessage(MESSAGE_SCHEMAS.DeadLetterMessage, JSON.parse(output.value));
  if (!checked.ok) throw new Error(`dead letter fails its contract: ${checked.error.message}`);
  return checked.value;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Bytes of every sort another team's producer could send, sized around the limits that matter. */
const valueBytes = fc.oneof(
  fc.uint8Array({ maxLength: 256 }),
  fc.constant(new Uint8Array()),
  fc.constantFrom(LIMIT - 2000, LIMIT - 1024, LIMIT, LIMIT + 1, (LIMIT * 3) / 4, 200_000).map((size) => new Uint8Array(size).fill(0x7b)),
  fc.string({ unit: 'binary', maxLength: 64 }).map((text) => Buffer.from(JSON.stringify({ ...taskMessage(2), frame_id: text }))),
  fc.constantFrom('\ud800', 'a\udfffb', '\u0000', '𝌆', '\u202e').map((text) => Buffer.from(JSON.stringify({ ...taskMessage(3), frame_id: text }).replace(/"frame_id":"[^"]*"/, `"frame_id":${JSON.stringify(text)}`))),
  fc.constant(Buffer.from('{"schema_version":1,"priority":1e400}')),
);
const timestamps = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 2 ** 53, 2 ** 63, Number.NaN, Number.POSITIVE_INFINITY, -0));
const keys = fc.option(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(4096, 4097, 70_000).map((size) => new Uint8Array(size).fill(0xff))), { nil: null });

describe('bus > processRecord', () => {
  it('gives every record exactly one outcome that fits the dlq, whatever its bytes and metadata (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          topic: fc.oneof(fc.constant('assessment-tasks'), fc.string({ maxLength: 300 })),
          partition: fc.oneof(fc.nat(64), fc.integer(), fc.double()),
          offset: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 63n }).map(String), fc.string({ maxLength: 30 })),
          key: keys,
          value: fc.option(valueBytes, { nil: null }),
          timestampMs: timestamps,
        }),
        fc.nat(LIMIT + 4096),
        async (input, outputSize) => {
          const output: BusOutput = { topic: 'out', key: 'k', value: 'x'.repeat(outputSize) };
          const outcome = await processRecord(input, processing(async () => [output]));
          if (outcome.deadLetter === null) {
            expect(outcome.outputs).toEqual([output]);
            return;
          }
          expect(outcome.outputs).toHaveLength(1);
          const [dead] = outcome.outputs;
          expect(dead!.topic).toBe('dlq');
          expect(recordBytes(dead!)).toBeLessThanOrEqual(batchBudget(LIMIT));
          const { original } = letterOf(dead!);
          if (input.value === null) {
            expect(original).toMatchObject({ value_b64: null, value_bytes: null, value_sha256: null, value_truncated: false });
          } else {
            const kept = Buffer.from(original.value_b64!, 'base64');
            expect(original.value_bytes).toBe(input.value.byteLength);
            expect(original.value_sha256).toBe(sha256(input.value));
            expect(kept.equals(Buffer.from(input.value.subarray(0, kept.byteLength)))).toBe(true);
            expect(original.value_truncated).toBe(kept.byteLength < input.value.byteLength);
          }
          if (input.key === null) expect(original.key_b64).toBeNull();
          else expect(Buffer.from(original.key_b64!, 'base64').equals(Buffer.from(input.key.subarray(0, 4096)))).toBe(true);
          expect(original.key_truncated).toBe(input.key !== null && input.key.byteLength > 4096);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keeps key bytes that are not UTF-8 exactly, and tells a tombstone from an empty value', async () => {
    const key = Buffer.from([0xff, 0xfe, 0x00, 0x6b]);
    const tombstone = await processRecord(record({ key, value: null }), processing());
    const empty = await processRecord(record({ key, value: new Uint8Array() }), processing());
    expect(tombstone.deadLetter).toMatchObject({ code: 'tombstone' });
    expect(empty.deadLetter).toMatchObject({ code: 'invalid_json' });
    expect(Buffer.from(tombstone.outputs[0]!.key as Uint8Array).equals(key)).toBe(true);
    expect(letterOf(tombstone.outputs[0]!).original).toMatchObject({ key_b64: key.toString('base64'), value_b64: null });
    expect(letterOf(empty.outputs[0]!).original).toMatchObject({ key_b64: key.toString('base64'), value_b64: '', value_bytes: 0 });
  });

  it('carries broker timestamps outside the contract as raw text instead of failing the dead letter', async () => {
    for (const timestampMs of [-1, 2 ** 53 + 2]) {
      const outcome = await processRecord(record({ value: Buffer.from('garbage'), timestampMs }), processing());
      const { original } = letterOf(outcome.outputs[0]!);
      expect(original.timestamp_ms).toBeNull();
      expect(original.metadata_raw).toEqual({ timestamp_ms: String(timestampMs) });
      expect(outcome.deadLetter).toMatchObject({ code: 'invalid_json', reduced: true });
    }
  });

  it('reduces the dead letter of a record too large to carry whole: size, hash and first bytes', async () => {
    const value = Buffer.alloc(60_000, 0x61);
    const outcome = await processRecord(record({ value }), processing());
    const { original } = letterOf(outcome.outputs[0]!);
    expect(outcome.deadLetter).toMatchObject({ code: 'invalid_json', reduced: true });
    expect(original).toMatchObject({ value_bytes: 60_000, value_sha256: sha256(value), value_truncated: true });
    expect(Buffer.from(original.value_b64!, 'base64').byteLength).toBeGreaterThan(40_000);
  });

  it('dead-letters an event time beyond the clock-skew tolerance with its own reason and path', async () => {
    const clock = new FakeClock();
    let ran = 0;
    const run = async (): Promise<BusOutput[]> => {
      ran++;
      return [];
    };
    const ahead = (ms: number) => Buffer.from(JSON.stringify({ ...taskMessage(1), captured_at_ms: clock.now() + ms, created_at_ms: clock.now(), deadline_ms: clock.now() + ms + 15_000 }));
    expect((await processRecord(record({ value: ahead(29_000) }), processing(run, clock))).deadLetter).toBeNull();
    const future = await processRecord(record({ value: ahead(100 * 365 * 86_400_000) }), processing(run, clock));
    expect(future.deadLetter).toMatchObject({ code: 'event_time_in_future' });
    expect(letterOf(future.outputs[0]!).error).toMatchObject({ code: 'event_time_in_future', path: 'captured_at_ms' });
    expect(ran).toBe(1);
  });

  it('refuses a frame id with a lone surrogate as an invalid field, not as a stage failure', async () => {
    const value = Buffer.from(JSON.stringify(taskMessage(1)).replace('"frame-1"', '"\\ud800"'));
    const outcome = await processRecord(record({ value }), processing());
    expect(letterOf(outcome.outputs[0]!).error).toMatchObject({ code: 'invalid_message', path: 'frame_id' });
  });

  it('dead-letters an input whose outputs would not fit in a message, instead of failing the batch commit', async () => {
    const outcome = await processRecord(record(), processing(async () => [{ topic: 'out', key: 'k', value: 'x'.repeat(LIMIT) }]));
    expect(outcome.deadLetter).toMatchObject({ code: 'output_too_large' });
    expect(outcome.outputs.map((output) => output.topic)).toEqual(['dlq']);
  });

  it('retries a retriable stage error, then dead-letters it with the attempts made and the reason', async () => {
    let calls = 0;
    const outcome = await processRecord(
      record(),
      processing(async () => {
        calls++;
        throw new AppError('llm_timeout', 'the model did not answer', { retriable: true });
      }, systemClock),
    );
    expect(calls).toBe(2);
    expect(outcome.deadLetter).toEqual({ code: 'llm_timeout', reason: 'the model did not answer', reduced: false });
    expect(letterOf(outcome.outputs[0]!)).toMatchObject({ attempts: 2, error: { code: 'llm_timeout', message: 'the model did not answer' } });
  });

  it('gives a view\'s unreadable record no dead letter: nothing to write, the reason kept for its log and count', async () => {
    const view = { ...processing(async () => [{ topic: 'x', key: null, value: 'never' }]), unreadable: 'skip' as const };
    for (const [input, code] of [[record({ value: null }), 'tombstone'], [record({ value: Buffer.from('{') }), 'invalid_json'], [record({ value: Buffer.from(JSON.stringify({ schema_version: 1 })) }), 'invalid_message']] as const) {
      const outcome = await processRecord(input, view);
      expect(outcome).toMatchObject({ outputs: [], deadLetter: null, skipped: { code } });
    }
    const failing = await processRecord(record(), { ...processing(async () => Promise.reject(new Error('boom'))), unreadable: 'skip' });
    expect(failing).toMatchObject({ outputs: [], deadLetter: null, skipped: { code: 'stage_failed', reason: 'boom' } });
    const readable = await processRecord(record(), view);
    expect(readable).toMatchObject({ outputs: [{ topic: 'x', value: 'never' }], deadLetter: null });
    expect(readable.skipped).toBeUndefined();
  });
});
