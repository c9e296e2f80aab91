// What every consumer of either bus needs, from a stage's options and the bus's own settings.
import type { ZodType } from 'zod';
import type { RetryPolicy } from '../core/retry.js';
import type { Assignment, BusOutput, BusRecord, SubscribeOptions, TransformOptions } from './bus.js';

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, initialDelayMs: 200, maxDelayMs: 2000 };
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_MAX_CLOCK_SKEW_MS = 30_000;

export interface ConsumerSettings<T> {
  group: string;
  topic: string;
  stage: string;
  schema: ZodType<T>;
  concurrency: number;
  eventTime?: { path: string; of(message: T): number };
  onAssignment(assignment: Assignment): void;
  startAt: 'earliest' | 'latest';
  unreadable: 'dead_letter' | 'skip';
  run(message: T, record: BusRecord, signal: AbortSignal): Promise<BusOutput[]>;
  dlqTopic: string;
  maxMessageBytes: number;
  maxClockSkewMs: number;
  retryPolicy: RetryPolicy;
}

export interface BusConsumerDefaults {
  dlqTopic: string;
  maxMessageBytes: number;
  maxClockSkewMs?: number;
  retryPolicy?: RetryPolicy;
}

export function consumerSettings<T>(
  options: SubscribeOptions<T> | TransformOptions<T>,
  run: (message: T, record: BusRecord, signal: AbortSignal) => Promise<BusOutput[]>,
  bus: BusConsumerDefaults,
): ConsumerSettings<T> {
  return {
    group: options.group,
    topic: options.topic,
    stage: options.stage,
    schema: options.schema,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    eventTime: options.eventTime,
    onAssignment: options.onAssignment ?? (() => undefined),
    startAt: options.startAt ?? 'earliest',
    unreadable: options.unreadable ?? 'dead_letter',
    run,
    dlqTopic: bus.dlqTopic,
    maxMessageBytes: bus.maxMessageBytes,
    maxClockSkewMs: bus.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS,
    retryPolicy: bus.retryPolicy ?? DEFAULT_RETRY,
  };
}
