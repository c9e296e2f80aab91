// `tcr bench bus`: produce, consume and consume-transform-produce throughput of one process on either bus,
// with ~2 KB contract-valid messages (consumers decode and validate every one, as stages do).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bus } from '../bus/bus.js';
import { createBus } from '../bus/createBus.js';
import { createKafkaClient } from '../bus/kafka/kafkaClient.js';
import { setupTopics } from '../bus/kafka/setupTopics.js';
import { MESSAGE_SCHEMAS, createTaskId, noConflictMeasures, type AssessmentTaskMessage } from '../contracts/index.js';
import { appConfigSchema } from '../config/index.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { percentile, round } from './percentile.js';
import { waitUntil } from './waitUntil.js';

export interface BusBenchOptions {
  /** Empty: the embedded bus in a temp directory. */
  brokers: string[];
  messages: number;
  transformMessages: number;
  /** Messages sent at `latencyRate` per second to a one-partition topic, for the transform's latency. */
  latencySamples: number;
  latencyRate: number;
  messageBytes: number;
  batch: number;
  partitions: number;
  logger: Logger;
}

/** A valid task whose crop is padded so the encoded message is `bytes` long. */
function taskOfSize(index: number, bytes: number): string {
  const frameId = `bench-${index}`;
  const task: AssessmentTaskMessage = {
    schema_version: 1, task_id: createTaskId(`cam-${index % 64}`, frameId, 'g-1-2'), camera_id: `cam-${index % 64}`, frame_id: frameId, group_id: 'g-1-2',
    captured_at_ms: 1_700_000_000_000, created_at_ms: 1_700_000_000_000, deadline_ms: 1_700_000_015_000, priority: index % 10,
    group: { group_id: 'g-1-2', track_ids: [1, 2], members_by_class: { person: 1, car: 1 }, region: [0, 0, 100, 100], min_person_vehicle_distance_px: 12, density: 0.4, mean_speed_px_s: 20, stationary: false, ...noConflictMeasures() },
    crop_jpeg_b64: '',
  };
  const padding = Math.max(0, bytes - JSON.stringify(task).length);
  return JSON.stringify({ ...task, crop_jpeg_b64: 'A'.repeat(padding - (padding % 4)) });
}

const elapsedS = (startedAt: number): number => (performance.now() - startedAt) / 1000;

export async function runBusBench(options: BusBenchOptions): Promise<Record<string, unknown>> {
  const workDir = mkdtempSync(join(tmpdir(), 'tcr-bench-bus-'));
  const run = Date.now().toString(36);
  const [input, output, steady] = [`bench-in-${run}`, `bench-out-${run}`, `bench-steady-${run}`];
  const config = appConfigSchema.parse({ data_dir: workDir, kafka: { brokers: options.brokers, client_id: 'tcr-bench', max_message_bytes: Math.max(1_048_576, options.messageBytes * 2) } });
  if (options.brokers.length > 0) {
    await createTopics(config.kafka, [input, output], options.partitions, options.logger);
    await createTopics(config.kafka, [steady], 1, options.logger);
  }
  const bus = createBus(config, options.logger);
  try {
    const produce = await measureProduce(bus, input, options);
    const consume = await measureConsume(bus, input, options.messages);
    const transform = await measureTransform(bus, input, output, options.transformMessages);
    const latency = await measureTransformLatency(bus, steady, output, options);
    return {
      bus: bus.kind,
      message_bytes: taskOfSize(0, options.messageBytes).length,
      messages: options.messages,
      batch: options.batch,
      partitions: options.brokers.length > 0 ? options.partitions : 1,
      produce_msgs_s: produce,
      produce_mb_s: round((produce * options.messageBytes) / 1_048_576),
      consume_msgs_s: consume.rate,
      consume_first_message_s: consume.firstAfterS,
      transform_messages: options.transformMessages,
      transform_msgs_s: transform.rate,
      transform_first_output_s: transform.firstAfterS,
      latency_samples: options.latencySamples,
      latency_rate_msgs_s: options.latencyRate,
      transform_latency_ms_p50: latency.p50,
      transform_latency_ms_p95: latency.p95,
    };
  } finally {
    await bus.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function createTopics(kafka: ReturnType<typeof appConfigSchema.parse>['kafka'], names: string[], partitions: number, logger: Logger): Promise<void> {
  const admin = createKafkaClient(kafka, logger).admin();
  await admin.connect();
  try {
    await setupTopics(admin, names.map((name) => ({ role: 'detection_results', name, partitions, replicationFactor: 1, configs: {} })), false);
  } finally {
    await admin.disconnect();
  }
}

async function measureProduce(bus: Bus, topic: string, options: BusBenchOptions): Promise<number> {
  const producer = bus.producer();
  const values = Array.from({ length: options.messages }, (_, i) => ({ key: `cam-${i % 64}`, value: taskOfSize(i, options.messageBytes) }));
  const startedAt = performance.now();
  for (let at = 0; at < values.length; at += options.batch) await producer.send(topic, values.slice(at, at + options.batch));
  return round(options.messages / elapsedS(startedAt))!;
}

/** Rate from the first record handled to the last, so the group join is not counted (reported apart). */
async function measureConsume(bus: Bus, topic: string, expected: number): Promise<{ rate: number; firstAfterS: number }> {
  let handled = 0;
  let firstAt = 0;
  const subscribedAt = performance.now();
  const subscription = await bus.subscribe({
    group: `bench-consume-${Date.now().toString(36)}`, topic, schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'bench', concurrency: 64,
    handle: async () => {
      if (handled++ === 0) firstAt = performance.now();
    },
  });
  await waitUntil(() => handled >= expected, 'consumed messages');
  const rate = round((expected - 1) / ((performance.now() - firstAt) / 1000))!;
  await subscription.stop();
  return { rate, firstAfterS: round((firstAt - subscribedAt) / 1000)! };
}

async function measureTransform(bus: Bus, input: string, output: string, count: number): Promise<{ rate: number; firstAfterS: number }> {
  const group = `bench-transform-${Date.now().toString(36)}`;
  let transformed = 0;
  let firstAt = 0;
  let lastAt = 0;
  const onProcessed = (event: { group: string; count: number }): void => {
    if (event.group !== group) return;
    if (transformed === 0) firstAt = performance.now();
    transformed += event.count;
    lastAt = performance.now();
  };
  bus.events.on('processed', onProcessed);
  const subscribedAt = performance.now();
  const subscription = await bus.transform({
    group, topic: input, schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'bench', concurrency: 64,
    transform: async (task) => [{ topic: output, key: task.task_id, value: JSON.stringify({ ...task, priority: 9 }) }],
  });
  await waitUntil(() => transformed >= count, 'transformed messages');
  await subscription.stop();
  bus.events.off('processed', onProcessed);
  return { rate: round(transformed / Math.max(0.001, (lastAt - firstAt) / 1000))!, firstAfterS: round((firstAt - subscribedAt) / 1000)! };
}

/**
 * Input sent → its output committed, for messages arriving at a steady rate on one partition (as a camera's
 * tasks do): on Kafka a transaction starts as soon as the previous one of the partition is done, which is
 * where the broker's CONCURRENT_TRANSACTIONS answers and the client's backoff show.
 */
async function measureTransformLatency(bus: Bus, input: string, output: string, options: BusBenchOptions): Promise<{ p50: number | null; p95: number | null }> {
  const group = `bench-latency-${Date.now().toString(36)}`;
  const sentAt: number[] = [];
  const latencies: number[] = [];
  let transformed = 0;
  const onProcessed = (event: { group: string; count: number }): void => {
    if (event.group !== group) return;
    const now = performance.now();
    // One partition: outputs are committed in input order, so the next `count` sent messages are done.
    for (let i = transformed; i < transformed + event.count; i++) latencies.push(now - sentAt[i]!);
    transformed += event.count;
  };
  bus.events.on('processed', onProcessed);
  const subscription = await bus.transform({
    group, topic: input, schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'bench',
    transform: async (task) => [{ topic: output, key: task.task_id, value: JSON.stringify({ ...task, priority: 9 }) }],
  });
  // A first message waits out the group join, so the steady stream is measured on a running stage.
  sentAt.push(performance.now());
  await bus.producer().send(input, [{ key: 'cam-0', value: taskOfSize(0, options.messageBytes) }]);
  await waitUntil(() => transformed >= 1, 'the first transformed message');
  latencies.length = 0;
  const intervalMs = 1000 / options.latencyRate;
  const startedAt = performance.now();
  for (let i = 1; i <= options.latencySamples; i++) {
    await systemClock.sleep(startedAt + (i - 1) * intervalMs - performance.now());
    sentAt.push(performance.now());
    await bus.producer().send(input, [{ key: 'cam-0', value: taskOfSize(i, options.messageBytes) }]);
  }
  await waitUntil(() => transformed > options.latencySamples, 'the steady stream to be transformed');
  await subscription.stop();
  bus.events.off('processed', onProcessed);
  return { p50: round(percentile(latencies, 0.5), 1), p95: round(percentile(latencies, 0.95), 1) };
}
