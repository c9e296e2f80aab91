// What every consumer of either bus needs, from a stage's options and the bus's own settings.
import type { ZodType } from 'zod';
import type { RetryPolicy } from '../core/retry.js';
import type { BusOutput, BusRecord, SubscribeOptions, TransformOptions } from './bus.js';

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, initialDelayMs: 200, maxDelayMs: 2000 };
export const DEFAULT_CONCURRENCY = 8;

export interface ConsumerSettings<T> {
  group: string;
  topic: string;
  stage: string;
  schema: ZodType<T>;
  concurrency: number;
  run(message: T, record: BusRecord): Promise<BusOutput[]>;
  dlqTopic: string;
  maxMessageBytes: number;
  retryPolicy: RetryPolicy;
}

export function consumerSettings<T>(
  options: SubscribeOptions<T> | TransformOptions<T>,
  run: (message: T, record: BusRecord) => Promise<BusOutput[]>,
  bus: { dlqTopic: string; maxMessageBytes: number; retryPolicy?: RetryPolicy },
): ConsumerSettings<T> {
  return {
    group: options.group,
    topic: options.topic,
    stage: options.stage,
    schema: options.schema,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    run,
    dlqTopic: bus.dlqTopic,
    maxMessageBytes: bus.maxMessageBytes,
    retryPolicy: bus.retryPolicy ?? DEFAULT_RETRY,
  };
}
