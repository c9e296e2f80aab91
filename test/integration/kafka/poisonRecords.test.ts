// No record can stop a stage (issue 11): the expander on the real broker under a burst of poison records in one
// partition, through `tcr bench poison`'s scenario, with a message limit small enough that every size rule bites.
import { describe, expect, inject, it } from 'vitest';
import { runPoisonBench } from '../../../backend/bench/poisonBench.js';
import { captureLogger } from '../../support/busFixtures.js';

const broker = inject('kafkaBroker');

describe('kafka > poison records (real broker)', () => {
  it('gives each poison record exactly one outcome while every partition keeps flowing, without a failed batch or a restart', async () => {
    const { logger, lines } = captureLogger();
    const figures = await runPoisonBench({ brokers: [broker], partitions: 4, framesPerPartition: 5, intervalMs: 50, maxMessageBytes: 262_144, compression: 'none', timeoutS: 60, logger });
    const outcomes = figures.poison_outcomes as { kind: string; outcome: string; code: string | null; reduced: boolean; crop_dropped?: boolean }[];
    expect(outcomes.filter((o) => o.outcome !== 'once')).toEqual([]);
    expect(Object.fromEntries(outcomes.map((o) => [o.kind, o.code]))).toEqual({
      negative_broker_timestamp: 'invalid_json',
      broker_timestamp_beyond_2_53: 'invalid_json',
      bad_record_near_the_limit: 'invalid_json',
      capture_time_100_years_ahead: 'event_time_in_future',
      capture_time_near_2_53: 'event_time_in_future',
      duplicate_group_ids: 'invalid_message',
      frame_id_lone_surrogate: 'invalid_message',
      number_1e400: 'invalid_message',
      non_utf8_key: 'invalid_json',
      tombstone: 'tombstone',
      empty_value: 'invalid_json',
      random_bytes: expect.stringMatching(/^invalid_(utf8|json)$/),
      large_valid_frame: null,
    });
    // The bad record near the limit and the two odd broker timestamps cannot be kept as they are.
    expect(outcomes.filter((o) => o.reduced).map((o) => o.kind).sort()).toEqual(['bad_record_near_the_limit', 'broker_timestamp_beyond_2_53', 'negative_broker_timestamp']);
    expect(outcomes.find((o) => o.kind === 'large_valid_frame')?.crop_dropped).toBe(true);
    expect(figures).toMatchObject({ batch_failures: 0, consumer_restarts: 0, frames_missing: 0 });
    expect(lines().filter((line) => line.includes('batch failed') || line.includes('consumer stopped'))).toEqual([]);
  });
});
