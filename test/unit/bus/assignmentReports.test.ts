import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Assignment } from '../../../backend/bus/bus.js';
import { reportAssignments } from '../../../backend/bus/kafka/assignmentReports.js';
import { captureLogger } from '../../support/busFixtures.js';

const HOLD_MS = 4000;

function fakeConsumer(): { consumer: Consumer; emit(event: string, payload?: unknown): void } {
  const emitter = new EventEmitter();
  const events = { HEARTBEAT: 'heartbeat', GROUP_JOIN: 'group_join', REBALANCING: 'rebalancing' };
  const consumer = { events, on: (event: string, listener: (payload: unknown) => void) => emitter.on(event, (payload) => listener({ payload })) } as unknown as Consumer;
  return { consumer, emit: (event, payload) => emitter.emit(event, payload) };
}

function joined(partitions: number[]): { memberAssignment: Record<string, number[]> } {
  return { memberAssignment: { tasks: partitions } };
}

describe('bus > assignment reports', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  async function start(): Promise<{ emit(event: string, payload?: unknown): void; seen: Assignment[]; logs: () => string[]; stop(): void }> {
    const { consumer, emit } = fakeConsumer();
    const seen: Assignment[] = [];
    const { logger, lines } = captureLogger();
    const reports = reportAssignments(consumer, 'tasks', { partitionCount: async () => 4, onAssignment: (assignment) => void seen.push(assignment), logger, holdMs: HOLD_MS });
    emit('group_join', joined([2, 0]));
    await vi.advanceTimersByTimeAsync(0);
    return { emit, seen, logs: lines, stop: () => reports.stopped() };
  }

  it('holds the partitions through a rebalance and drops the moved ones as soon as the new assignment comes', async () => {
    const member = await start();
    expect(member.seen).toEqual([{ partitions: [0, 2], total: 4 }]);
    member.emit('rebalancing');
    await vi.advanceTimersByTimeAsync(1500);
    expect(member.seen).toHaveLength(1);
    // Reported at once, not after the partition count is read again.
    member.emit('group_join', joined([0, 3]));
    expect(member.seen.at(-1)).toEqual({ partitions: [0, 3], total: 4 });
    member.stop();
    expect(member.seen.at(-1)).toEqual({ partitions: [], total: 4 });
  });

  it('gives the partitions up when the coordinator has not answered for the hold, and takes them back when it does', async () => {
    const member = await start();
    await vi.advanceTimersByTimeAsync(HOLD_MS - 1);
    member.emit('heartbeat');
    await vi.advanceTimersByTimeAsync(HOLD_MS - 1);
    expect(member.seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(member.seen.at(-1)).toEqual({ partitions: [], total: 4 });
    expect(member.logs().some((line) => line.includes('gives up its partitions'))).toBe(true);
    member.emit('heartbeat');
    expect(member.seen.at(-1)).toEqual({ partitions: [0, 2], total: 4 });
    member.stop();
  });
});
