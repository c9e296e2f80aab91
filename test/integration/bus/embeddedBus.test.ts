import { describe, expect, it } from 'vitest';
import { MESSAGE_SCHEMAS, decodeMessage, type AssessmentTaskMessage } from '../../../backend/contracts/index.js';
import { AppError } from '../../../backend/core/errors.js';
import type { Assignment, Bus, BusRecord } from '../../../backend/bus/bus.js';
import { createEmbeddedBus, type EmbeddedBusOptions } from '../../../backend/bus/embedded/embeddedBus.js';
import { MessageTooLargeError } from '../../../backend/bus/messageSize.js';
import { useTempDir } from '../../support/tempDir.js';
import { captureLogger, taskMessage, waitFor } from '../../support/busFixtures.js';
import { FakeClock } from '../../support/fakeClock.js';

const tasks = MESSAGE_SCHEMAS.AssessmentTaskMessage;

describe('bus > embedded (real SQLite file)', () => {
  const temp = useTempDir();
  const open = (overrides: Partial<EmbeddedBusOptions> = {}): Bus =>
    createEmbeddedBus({ path: temp.path('bus.sqlite'), dlqTopic: 'dlq', retentionMs: 3_600_000, maxBytes: 1 << 30, maxMessageBytes: 1 << 20, logger: captureLogger().logger, pollMs: 50, ...overrides });

  it('delivers every message once, in order, to each consumer group, and reports lag', async () => {
    const bus = open();
    await bus.producer().send('tasks', Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 3}`, value: JSON.stringify(taskMessage(i)) })));
    expect(await bus.lag('g1', 'tasks')).toEqual([{ group: 'g1', topic: 'tasks', partition: 0, committed: '-1', end: '21', lag: 20 }]);
    const seen: Record<string, string[]> = { g1: [], g2: [] };
    for (const group of ['g1', 'g2'] as const) {
      await bus.subscribe({ group, topic: 'tasks', schema: tasks, stage: 'test', concurrency: 1, handle: async (message) => void seen[group]!.push(message.frame_id) });
    }
    await waitFor(() => seen.g1!.length === 20 && seen.g2!.length === 20);
    expect(seen.g1).toEqual(Array.from({ length: 20 }, (_, i) => `frame-${i}`));
    expect(seen.g2).toEqual(seen.g1);
    await waitFor(async () => (await bus.lag('g1', 'tasks'))[0]!.lag === 0);
    await bus.close();
  });

  it('transforms each input into its outputs exactly once, atomically with the input position', async () => {
    const bus = open();
    await bus.transform({
      group: 'expander',
      topic: 'in',
      schema: tasks,
      stage: 'expander',
      concurrency: 8,
      transform: async (message) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
        return [{ topic: 'out', key: message.camera_id, value: JSON.stringify({ ...message, priority: 9 }) }];
      },
    });
    await bus.producer().send('in', Array.from({ length: 50 }, (_, i) => ({ key: null, value: JSON.stringify(taskMessage(i)) })));
    const outputs: AssessmentTaskMessage[] = [];
    await bus.subscribe({ group: 'reader', topic: 'out', schema: tasks, stage: 'reader', handle: async (message) => void outputs.push(message) });
    await waitFor(() => outputs.length === 50);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(new Set(outputs.map((message) => message.frame_id)).size).toBe(50);
    expect(outputs).toHaveLength(50);
    expect(outputs.every((message) => message.priority === 9)).toBe(true);
    await bus.close();
  });

  it('sends undecodable bytes to the DLQ with the reason and the original bytes, and goes on', async () => {
    const bus = open();
    const handled: string[] = [];
    const dead: BusRecord[] = [];
    await bus.subscribe({ group: 'g', topic: 'tasks', schema: tasks, stage: 'scheduler', handle: async (message) => void handled.push(message.frame_id) });
    await bus.subscribe({ group: 'dlq-reader', topic: 'dlq', schema: MESSAGE_SCHEMAS.DeadLetterMessage, stage: 'dlq-reader', handle: async (_message, record) => void dead.push(record) });
    await bus.producer().send('tasks', [
      { key: 'cam-1', value: '{"schema_version": 1, "task_id": ' },
      { key: 'cam-2', value: JSON.stringify({ ...taskMessage(1), priority: 42 }) },
      { key: 'cam-3', value: JSON.stringify(taskMessage(2)) },
    ]);
    await waitFor(() => handled.length === 1 && dead.length === 2);
    expect(handled).toEqual(['frame-2']);
    const letters = dead.map((record) => decodeMessage(MESSAGE_SCHEMAS.DeadLetterMessage, record.value!)).map((result) => (result.ok ? result.value : null));
    expect(letters[0]).toMatchObject({ stage: 'scheduler', attempts: 1, error: { code: 'invalid_json' }, original: { topic: 'tasks', key_b64: Buffer.from('cam-1').toString('base64') } });
    expect(Buffer.from(letters[0]!.original.value_b64!, 'base64').toString()).toBe('{"schema_version": 1, "task_id": ');
    expect(letters[1]).toMatchObject({ error: { code: 'invalid_message', path: 'priority' } });
    expect(Buffer.from(dead[0]!.key!).toString()).toBe('cam-1');
    await bus.close();
  });

  it('tells a consumer it owns the only partition, and that it owns none once stopped', async () => {
    const bus = open();
    const assignments: Assignment[] = [];
    const subscription = await bus.subscribe({ group: 'g', topic: 'tasks', schema: tasks, stage: 'scheduler', handle: async () => undefined, onAssignment: (assignment) => void assignments.push(assignment) });
    expect(assignments).toEqual([{ partitions: [0], total: 1 }]);
    await subscription.stop();
    expect(assignments.at(-1)).toEqual({ partitions: [], total: 1 });
    await bus.close();
  });

  it('logs a dead letter once with its code and reason, each field once', async () => {
    const { logger, lines } = captureLogger();
    const bus = open({ logger: logger.child({ stage: 'bus' }) });
    await bus.subscribe({ group: 'g', topic: 'tasks', schema: tasks, stage: 'scheduler', handle: async () => undefined });
    await bus.producer().send('tasks', [{ key: 'cam-1', value: '{"schema_version": 1' }]);
    await waitFor(() => lines().some((line) => line.includes('message sent to the dlq')));
    const line = lines().find((candidate) => candidate.includes('message sent to the dlq'))!;
    expect(JSON.parse(line)).toMatchObject({ stage: 'bus', group: 'g', topic: 'tasks', code: 'invalid_json', reason: expect.stringContaining('not JSON'), reduced: false });
    // pino writes a field as often as it is given: a duplicate makes the line ambiguous to log collectors.
    for (const field of ['stage', 'topic', 'group', 'offset']) expect(line.split(`"${field}":`)).toHaveLength(2);
    await bus.close();
  });

  it('retries a retriable stage failure, and dead-letters a permanent one', async () => {
    const bus = open({ retryPolicy: { attempts: 3, initialDelayMs: 10, maxDelayMs: 10 } });
    const attempts = new Map<string, number>();
    const dead: string[] = [];
    await bus.subscribe({ group: 'dlq-reader', topic: 'dlq', schema: MESSAGE_SCHEMAS.DeadLetterMessage, stage: 'x', handle: async (message) => void dead.push(`${message.error.code}/${message.attempts}`) });
    await bus.subscribe({
      group: 'g',
      topic: 'tasks',
      schema: tasks,
      stage: 'scheduler',
      handle: async (message) => {
        const count = (attempts.get(message.frame_id) ?? 0) + 1;
        attempts.set(message.frame_id, count);
        if (message.frame_id === 'frame-0' && count < 3) throw new AppError('llm_timeout', 'timed out', { retriable: true });
        if (message.frame_id === 'frame-1') throw new AppError('bad_group', 'cannot assess this group');
      },
    });
    await bus.producer().send('tasks', [0, 1].map((i) => ({ key: null, value: JSON.stringify(taskMessage(i)) })));
    await waitFor(() => dead.length === 1 && attempts.get('frame-0') === 3);
    expect(dead).toEqual(['bad_group/1']);
    await bus.close();
  });

  it('commits only the contiguous completed prefix, so work unfinished at stop is delivered again', async () => {
    let bus = open();
    const done: string[] = [];
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    await bus.producer().send('tasks', Array.from({ length: 5 }, (_, i) => ({ key: null, value: JSON.stringify(taskMessage(i)) })));
    const subscription = await bus.subscribe({
      group: 'g',
      topic: 'tasks',
      schema: tasks,
      stage: 's',
      concurrency: 5,
      handle: async (message) => {
        if (message.frame_id === 'frame-1') await blocked;
        done.push(message.frame_id);
      },
    });
    await waitFor(() => done.length === 4);
    await subscription.stop(50);
    expect((await bus.lag('g', 'tasks'))[0]).toMatchObject({ committed: '2', lag: 4 });
    release();
    await bus.close();

    bus = open();
    const again: string[] = [];
    await bus.subscribe({ group: 'g', topic: 'tasks', schema: tasks, stage: 's', handle: async (message) => void again.push(message.frame_id) });
    await waitFor(() => again.length === 4);
    expect(again.sort()).toEqual(['frame-1', 'frame-2', 'frame-3', 'frame-4']);
    await bus.close();
  });

  it('stops fetching while paused and goes on when resumed', async () => {
    const bus = open();
    const seen: string[] = [];
    const subscription = await bus.subscribe({ group: 'g', topic: 'tasks', schema: tasks, stage: 's', handle: async (message) => void seen.push(message.frame_id) });
    subscription.pause();
    expect(subscription.state).toBe('paused');
    await bus.producer().send('tasks', [{ key: null, value: JSON.stringify(taskMessage(0)) }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toEqual([]);
    subscription.resume();
    await waitFor(() => seen.length === 1);
    await bus.close();
  });

  it('writes sends made together (one group commit), each in the file when it resolves, also one pending at close', async () => {
    const path = temp.path('group-commit.sqlite');
    const bus = open({ path });
    // 30 cameras' frames at once: each send resolves only once written; all of them are there, in send order.
    await Promise.all(Array.from({ length: 30 }, (_, i) => bus.producer().send('frames', [{ key: `cam-${i}`, value: JSON.stringify(taskMessage(i)) }])));
    expect((await bus.lag('g', 'frames'))[0]!.lag).toBe(30);
    const { default: Database } = await import('better-sqlite3');
    const reader = new Database(path, { readonly: true });
    const rows = reader.prepare("SELECT CAST(key AS TEXT) AS key FROM messages WHERE topic = 'frames' ORDER BY id").all() as { key: string }[];
    reader.close();
    expect(rows.map((row) => row.key)).toEqual(Array.from({ length: 30 }, (_, i) => `cam-${i}`));
    const late = bus.producer().send('frames', [{ key: 'late', value: JSON.stringify(taskMessage(99)) }]);
    await bus.close();
    await late;
    const again = open({ path });
    expect((await again.lag('g', 'frames'))[0]!.lag).toBe(31);
    await again.close();
  });

  it('refuses an oversize message before writing anything', async () => {
    const bus = open({ maxMessageBytes: 3000 });
    const send = bus.producer().send('tasks', [{ key: null, value: JSON.stringify(taskMessage(0)) }, { key: null, value: 'x'.repeat(2000) }]);
    await expect(send).rejects.toBeInstanceOf(MessageTooLargeError);
    // 3000 less Kafka's framing (984 per batch, 40 per record) leaves 1976 bytes.
    await expect(send).rejects.toThrow(/2000 bytes \(key and value\); 1976 fit in the limit of 3000/);
    expect((await bus.lag('g', 'tasks'))[0]!.lag).toBe(0);
    await bus.close();
  });

  it('deletes messages past the retention age and beyond the size bound', async () => {
    const clock = new FakeClock(0, 0);
    let bus = open({ clock, retentionMs: 1000, maxBytes: 1 << 30 });
    await bus.producer().send('tasks', [{ key: null, value: 'a'.repeat(100) }]);
    await bus.close();
    await clock.advance(5000);
    bus = open({ clock, retentionMs: 1000, maxBytes: 1 << 30 });
    expect((await bus.lag('g', 'tasks'))[0]!.lag).toBe(0);
    await bus.producer().send('tasks', Array.from({ length: 10 }, () => ({ key: null, value: 'b'.repeat(100) })));
    await bus.close();
    bus = open({ clock, retentionMs: 1_000_000, maxBytes: 450 });
    expect((await bus.lag('g', 'tasks'))[0]!.lag).toBe(4);
    await bus.close();
  });

  it('says which file and why when the log cannot be opened', () => {
    const notAFolder = temp.write('not-a-folder', 'x');
    expect(() => open({ path: `${notAFolder}/bus.sqlite` })).toThrow(/embedded bus .*not-a-folder\/bus\.sqlite: cannot open: .*(EEXIST|ENOTDIR)/);
    const notADatabase = temp.write('notes.sqlite', 'these are notes, not a database '.repeat(100));
    expect(() => open({ path: notADatabase })).toThrow(/notes\.sqlite: cannot open: the file is not an SQLite database/);
  });
});
