// The system alert runner over scripted samples and an in-memory sink: a level must hold twice to raise, a
// windowed check raises at once, a gone condition is cleared, and one the sink could not take is kept later.
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../backend/alerts/metricSamples.js';
import { createSystemAlertRunner, type SystemAlertSink } from '../../../backend/alerts/systemAlertRunner.js';
import type { Condition } from '../../../backend/alerts/systemChecks.js';
import { FakeClock } from '../../support/fakeClock.js';

const LIMITS = { maxConsumerLag: 100, minAvailableKeys: 1, minKeySuccessRate: 0.95, maxP95LatencyMs: 2000, maxDeadLettersPerMin: 10 };
const lag = (value: number): Sample => ({ name: 'kafka_lag', labels: { group: 'scheduler', topic: 'assessment-tasks', partition: '0' }, value });
const deadLetters = (value: number): Sample => ({ name: 'dead_letters_total', labels: { stage: 'results', code: 'invalid_json' }, value });

function memorySink() {
  const open = new Map<string, Condition>();
  const log: string[] = [];
  let failing = false;
  const sink: SystemAlertSink = {
    raise(condition) {
      if (failing) throw new Error('disk full');
      const key = `${condition.check}:${condition.subject}`;
      if (!open.has(key)) log.push(`raised ${key}`);
      open.set(key, condition);
    },
    clear(check, subject) {
      open.delete(`${check}:${subject}`);
      log.push(`cleared ${check}:${subject}`);
    },
    open: () => [...open.values()].map((condition) => ({ rule: condition.check, subject: condition.subject })),
  };
  return { sink, log, fail: (value: boolean) => (failing = value) };
}

describe('alerts > system alert runner', () => {
  it('raises a level condition at its second evaluation, a windowed one at its first, and clears what is gone', async () => {
    const clock = new FakeClock(0);
    const script: Sample[][] = [[lag(500), deadLetters(0)], [lag(500), deadLetters(100)], [lag(500), deadLetters(100)], [lag(5), deadLetters(100)]];
    const { sink, log } = memorySink();
    const failures: unknown[] = [];
    const runner = createSystemAlertRunner({ read: async () => script.shift()!, extra: () => [], limits: LIMITS, everyMs: 10_000, sink, clock, onSinkFailed: (_condition, error) => failures.push(error) });
    await runner.evaluate();
    expect(log).toEqual([]);
    await clock.advance(10_000);
    await runner.evaluate();
    expect(log).toEqual(['raised consumer_lag:scheduler/assessment-tasks', 'raised dlq_growth:']);
    await clock.advance(10_000);
    await runner.evaluate();
    expect(log.slice(2)).toEqual(['cleared dlq_growth:']);
    await clock.advance(10_000);
    await runner.evaluate();
    expect(log.slice(3)).toEqual(['cleared consumer_lag:scheduler/assessment-tasks']);
    expect(failures).toEqual([]);
  });

  it('tells of a condition the sink cannot take, and keeps it once the sink works again', async () => {
    const clock = new FakeClock(0);
    const script: Sample[][] = [[deadLetters(0)], [deadLetters(100)], [deadLetters(100)]];
    const { sink, log, fail } = memorySink();
    const told: (string | undefined)[] = [];
    const runner = createSystemAlertRunner({ read: async () => script.shift()!, extra: () => [], limits: LIMITS, everyMs: 10_000, sink, clock, onSinkFailed: (condition) => told.push(condition?.check) });
    await runner.evaluate();
    fail(true);
    await clock.advance(10_000);
    await runner.evaluate();
    expect(told).toEqual(['dlq_growth']);
    expect(log).toEqual([]);
    fail(false);
    await clock.advance(10_000);
    // The growth stopped: the alert is kept as history, raised and cleared.
    await runner.evaluate();
    expect(log).toEqual(['raised dlq_growth:', 'cleared dlq_growth:']);
  });
});
