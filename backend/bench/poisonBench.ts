// `tcr bench poison`: the expander on Kafka under a burst of poison records in one partition, written by another
// team's plain producer, with valid frames flowing in every partition. Reports each poison's outcome (exactly one
// dead letter, or its task), whether any batch failed or the consumer restarted, and the frames' latency from
// send to committed task on the poisoned and the healthy partitions, before and during the burst.
import type { Consumer, Kafka } from 'kafkajs';
import { createBus } from '../bus/createBus.js';
import { createKafkaClient } from '../bus/kafka/kafkaClient.js';
import { setupTopics } from '../bus/kafka/setupTopics.js';
import { topicSpecs } from '../bus/topics.js';
import { appConfigSchema, type AppConfig } from '../config/index.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { createExpander } from '../expander/expanderStage.js';
import { expanderSettings } from '../expander/expanderSettings.js';
import { percentile } from './percentile.js';
import { benchFrame, LARGE_VALID_FRAME, poisonRecords, type PoisonRecord } from './poisonRecords.js';
import { waitUntil } from './waitUntil.js';

export interface PoisonBenchOptions {
  brokers: string[];
  partitions: number;
  /** Valid frames per partition in each phase (before the burst, and with it). */
  framesPerPartition: number;
  intervalMs: number;
  maxMessageBytes: number;
  compression: 'none' | 'gzip';
  timeoutS: number;
  logger: Logger;
}

const POISONED_PARTITION = 0;
/** Where each phase's frames sit in the (very wide) bench frame, so no phase repeats another's situation. */
const PHASE_OFFSET_PX: Record<string, number> = { warmup: 900_000, before: 0, during: 400_000 };

interface PoisonOutcome {
  kind: string;
  offset: string;
  expected: PoisonRecord['expect'];
  outcome: ReturnType<typeof outcomeOf>;
  code: string | null;
  reduced: boolean;
  crop_dropped?: boolean | null;
}

interface Seen {
  tasksByFrame: Map<string, { atMs: number; cropped: boolean }[]>;
  lettersByOffset: Map<string, { code: string; reduced: boolean }[]>;
}

export async function runPoisonBench(options: PoisonBenchOptions): Promise<Record<string, unknown>> {
  const config = benchConfig(options);
  const kafka = createKafkaClient(config.kafka, options.logger);
  await createBenchTopics(kafka, config);
  const bus = createBus(config, options.logger);
  const failures = { batches: 0, restarts: 0 };
  bus.events.on('batch_failed', () => failures.batches++);
  bus.events.on('consumer_restarted', () => failures.restarts++);
  const seen: Seen = { tasksByFrame: new Map(), lettersByOffset: new Map() };
  const reader = await readOutputs(kafka, config, seen);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const expander = createExpander(bus, expanderSettings(config));
    const subscription = await expander.start();
    const send = async (partition: number, record: Omit<PoisonRecord, 'kind' | 'expect'>): Promise<string> => {
      const [written] = await producer.send({ topic: config.kafka.topics.detection_results.name, acks: -1, messages: [{ partition, key: record.key, value: record.value, timestamp: record.timestamp }] });
      return written!.baseOffset!;
    };
    const timeoutMs = options.timeoutS * 1000;
    // The first frame of each partition pays the group join and the transactional take-over: not measured.
    await streamFrames(send, { ...options, framesPerPartition: 1 }, seen, 'warmup', timeoutMs);
    const before = await streamFrames(send, options, seen, 'before', timeoutMs);
    const offsets = new Map<string, PoisonRecord>();
    for (const poison of poisonRecords(`cam-p${POISONED_PARTITION}`, Date.now(), options.maxMessageBytes)) offsets.set(await send(POISONED_PARTITION, poison), poison);
    const during = await streamFrames(send, options, seen, 'during', timeoutMs);
    await waitUntil(() => [...offsets].every(([offset, poison]) => outcomeOf(poison, offset, seen) !== 'pending'), 'every poison record to have its outcome', timeoutMs);
    // Late duplicates would show up now.
    await systemClock.sleep(1000);
    await subscription.stop();
    return reportOf(options, outcomesOf(offsets, seen), failures, before, during);
  } finally {
    await producer.disconnect();
    await reader.disconnect();
    await bus.close();
  }
}

function outcomesOf(offsets: ReadonlyMap<string, PoisonRecord>, seen: Seen): PoisonOutcome[] {
  return [...offsets].map(([offset, poison]) => ({
    kind: poison.kind,
    offset,
    expected: poison.expect,
    outcome: outcomeOf(poison, offset, seen),
    ...letterOf(offset, seen),
    ...(poison.expect === 'task' ? { crop_dropped: seen.tasksByFrame.get(LARGE_VALID_FRAME)?.[0]?.cropped ?? null } : {}),
  }));
}

function reportOf(options: PoisonBenchOptions, outcomes: PoisonOutcome[], failures: { batches: number; restarts: number }, before: FrameSent[], during: FrameSent[]): Record<string, unknown> {
  return {
    partitions: options.partitions,
    compression: options.compression,
    max_message_bytes: options.maxMessageBytes,
    frames_per_partition: options.framesPerPartition,
    poison_records: outcomes.length,
    poison_handled_once: outcomes.filter((o) => o.outcome === 'once').length,
    poison_outcomes: outcomes,
    dead_letters_reduced: outcomes.filter((o) => o.reduced).length,
    batch_failures: failures.batches,
    consumer_restarts: failures.restarts,
    ...latencyFigures('before', before),
    ...latencyFigures('during', during),
    frames_missing: [...before, ...during].filter((frame) => frame.latencyMs === null).length,
  };
}

function benchConfig(options: PoisonBenchOptions): AppConfig {
  const run = `bench-poison-${Date.now().toString(36)}`;
  const topic = (role: string, partitions: number) => ({ name: `${run}-${role}`, partitions, replication_factor: 1 });
  return appConfigSchema.parse({
    instance_id: 'bench-poison',
    kafka: {
      brokers: options.brokers,
      client_id: 'tcr-bench',
      compression: options.compression,
      max_message_bytes: options.maxMessageBytes,
      topics: { detection_results: topic('detections', options.partitions), assessment_tasks: topic('tasks', options.partitions), risk_assessment_results: topic('results', 1), dlq: topic('dlq', 1) },
    },
    expander: { consumer_group: `${run}-expander`, task_ttl_ms: 600_000 },
  });
}

async function createBenchTopics(kafka: Kafka, config: AppConfig): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await setupTopics(admin, topicSpecs(config.kafka, true), true);
  } finally {
    await admin.disconnect();
  }
}

/** What a downstream stage would read: committed tasks and dead letters only. */
async function readOutputs(kafka: Kafka, config: AppConfig, seen: Seen): Promise<Consumer> {
  const { assessment_tasks: tasks, dlq } = config.kafka.topics;
  const consumer = kafka.consumer({ groupId: `${config.expander.consumer_group}-reader`, readUncommitted: false, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [tasks.name, dlq.name], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 4,
    eachMessage: async ({ topic, message }) => {
      const value = JSON.parse(message.value?.toString('utf8') ?? 'null') as Record<string, unknown>;
      if (topic === tasks.name) {
        const frameId = String(value.frame_id);
        seen.tasksByFrame.set(frameId, [...(seen.tasksByFrame.get(frameId) ?? []), { atMs: Date.now(), cropped: value.crop_jpeg_b64 === null }]);
        return;
      }
      const original = value.original as { partition: number; offset: string; value_truncated: boolean; metadata_raw: unknown; key_truncated: boolean };
      const key = `${original.partition}:${original.offset}`;
      const reduced = original.value_truncated || original.key_truncated || original.metadata_raw !== null;
      seen.lettersByOffset.set(key, [...(seen.lettersByOffset.get(key) ?? []), { code: String((value.error as { code: string }).code), reduced }]);
    },
  });
  return consumer;
}

interface FrameSent {
  partition: number;
  latencyMs: number | null;
}

/** Valid frames on every partition at a steady pace; the latency of each, from send to its committed task. */
async function streamFrames(send: (partition: number, record: Omit<PoisonRecord, 'kind' | 'expect'>) => Promise<string>, options: PoisonBenchOptions, seen: Seen, phase: string, timeoutMs: number): Promise<FrameSent[]> {
  const sent: { partition: number; frameId: string; atMs: number }[] = [];
  for (let i = 0; i < options.framesPerPartition; i++) {
    const startedAt = Date.now();
    for (let partition = 0; partition < options.partitions; partition++) {
      const frameId = `${phase}-p${partition}-${i}`;
      const atMs = Date.now();
      // Frames 1000 px apart are distinct situations, so de-duplication keeps every one.
      const x = PHASE_OFFSET_PX[phase]! + i * 1000;
      await send(partition, { key: Buffer.from(`cam-p${partition}`), value: Buffer.from(JSON.stringify(benchFrame(`cam-p${partition}`, frameId, atMs, x))) });
      sent.push({ partition, frameId, atMs });
    }
    await systemClock.sleep(startedAt + options.intervalMs - Date.now());
  }
  await waitUntil(() => sent.every((frame) => seen.tasksByFrame.has(frame.frameId)), `the ${phase} frames' tasks`, timeoutMs).catch(() => undefined);
  return sent.map((frame) => ({ partition: frame.partition, latencyMs: seen.tasksByFrame.has(frame.frameId) ? seen.tasksByFrame.get(frame.frameId)![0]!.atMs - frame.atMs : null }));
}

function outcomeOf(poison: PoisonRecord, offset: string, seen: Seen): 'pending' | 'once' | 'more_than_once' | 'wrong_kind' {
  const letters = seen.lettersByOffset.get(`${POISONED_PARTITION}:${offset}`)?.length ?? 0;
  const tasks = poison.expect === 'task' ? (seen.tasksByFrame.get(LARGE_VALID_FRAME)?.length ?? 0) : 0;
  if (letters + tasks === 0) return 'pending';
  if (letters + tasks > 1) return 'more_than_once';
  return (poison.expect === 'dead_letter') === (letters === 1) ? 'once' : 'wrong_kind';
}

function letterOf(offset: string, seen: Seen): { code: string | null; reduced: boolean } {
  const [letter] = seen.lettersByOffset.get(`${POISONED_PARTITION}:${offset}`) ?? [];
  return { code: letter?.code ?? null, reduced: letter?.reduced ?? false };
}

function latencyFigures(phase: string, frames: FrameSent[]): Record<string, number | null> {
  const of = (selected: FrameSent[]) => selected.map((frame) => frame.latencyMs).filter((ms): ms is number => ms !== null);
  const healthy = of(frames.filter((frame) => frame.partition !== POISONED_PARTITION));
  const poisoned = of(frames.filter((frame) => frame.partition === POISONED_PARTITION));
  return {
    [`${phase}_healthy_latency_ms_p50`]: percentile(healthy, 0.5),
    [`${phase}_healthy_latency_ms_p95`]: percentile(healthy, 0.95),
    [`${phase}_healthy_latency_ms_max`]: percentile(healthy, 1),
    [`${phase}_poisoned_partition_latency_ms_p50`]: percentile(poisoned, 0.5),
    [`${phase}_poisoned_partition_latency_ms_max`]: percentile(poisoned, 1),
  };
}
