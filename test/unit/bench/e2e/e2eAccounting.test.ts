// The acceptance run's accounting: each committed task has exactly one outcome, and what is missing or twice is
// counted, with examples, from the records read back, not assumed.
import { describe, expect, it } from 'vitest';
import { account, type SiteRecords, type StoredVerdict } from '../../../../backend/bench/e2e/e2eAccounting.js';
import type { MalformedSent } from '../../../../backend/bench/e2e/e2eMalformed.js';

function records(parts: Partial<Pick<SiteRecords, 'tasks' | 'verdicts' | 'deadLetters'>>): SiteRecords {
  return { tasks: new Map(), verdicts: new Map(), deadLetters: [], notTasks: () => 0, caughtUp: async () => true, stop: async () => undefined, ...parts };
}
const task = (copies = 1) => ({ cameraId: 'cam-1', capturedAtMs: 1000, createdAtMs: 1100, copies });
const stored = (status = 'ok'): StoredVerdict => ({ capturedAtMs: 1000, assessedAtMs: 1800, storedAtMs: 1900, status });

describe('bench > e2e > accounting', () => {
  it('counts a task without a stored verdict or a dead letter as lost, and one with two outcomes as a duplicate', () => {
    const site = records({
      tasks: new Map([
        ['t-ok', task()],
        ['t-lettered', task()],
        ['t-lost', task()],
        ['t-twice', task()],
        ['t-verdict-and-letter', task()],
        ['t-two-tasks', task(2)],
        ['t-not-stored', task()],
      ]),
      verdicts: new Map([
        ['t-ok', 1],
        ['t-twice', 2],
        ['t-verdict-and-letter', 1],
        ['t-two-tasks', 1],
        ['t-not-stored', 1],
      ]),
      deadLetters: [
        { stage: 'scheduler', code: 'deadline_expired', topic: 'tasks', key: 't-lettered', taskId: 't-lettered' },
        { stage: 'results', code: 'invalid_message', topic: 'results', key: 'x', taskId: 't-verdict-and-letter' },
      ],
    });
    const store = new Map([
      ['t-ok', stored()],
      ['t-twice', stored()],
      ['t-verdict-and-letter', stored()],
      ['t-two-tasks', stored('fallback')],
    ]);
    const result = account(site, store, []);
    expect(result).toMatchObject({ tasks_in: 7, results_out: 4, lost: 2, not_stored: 1, duplicates: 3, dlq_tasks: 2, dlq: { 'scheduler:deadline_expired': 1, 'results:invalid_message': 1 } });
    expect(result.lost_examples.sort()).toEqual(['t-lost', 't-not-stored']);
    expect(result.duplicate_examples.sort()).toEqual(['t-twice', 't-two-tasks', 't-verdict-and-letter']);
  });

  it('checks every malformed record got exactly one dead letter from each stage that read it', () => {
    const sent: MalformedSent[] = ['a', 'b', 'c', 'd'].map((name) => ({ key: `e2e-malformed-topic-${name}`, topic: 'topic', reason: 'invalid_json' }));
    const letter = (name: string, stage = 'expander') => ({ stage, code: 'invalid_json', topic: 'topic', key: `e2e-malformed-topic-${name}`, taskId: null });
    // a: once; b: twice by one stage; c: once by each of two consumers of its topic; d: never.
    const site = records({ deadLetters: [letter('a'), letter('b'), letter('b'), letter('c'), letter('c', 'gateway')] });
    expect(account(site, new Map(), sent)).toMatchObject({ malformed_sent: 4, malformed_dead_lettered_once: 2, lost: 0, dlq: { 'expander:invalid_json': 4, 'gateway:invalid_json': 1 } });
  });
});
