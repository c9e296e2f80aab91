// `tcr bench …`: acceptance benchmarks. Each prints its figures and writes them as JSON; none asserts timing in tests.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { KEY_STRATEGIES } from '../../config/index.js';
import { ReportedFailure } from '../../core/errors.js';
import { runBusBench } from '../../bench/busBench.js';
import { runKeypoolBench } from '../../bench/keypoolBench.js';
import { runKeypoolLoad } from '../../bench/keypoolLoad.js';
import { runPoisonBench } from '../../bench/poisonBench.js';
import { createLogger } from '../../core/logger.js';
import { report } from './benchReport.js';
import { registerBenchAgentCommand } from './benchAgentCommand.js';
import { registerBenchDetectionCommand } from './benchDetectionCommand.js';
import { registerBenchE2eCommand } from './benchE2eCommand.js';
import { registerBenchSchedulerCommand } from './benchSchedulerCommand.js';
import { registerBenchWallCommand } from './benchWallCommand.js';
import { list, nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber } from '../optionParsers.js';

/** The first line a stream delivers (the bench instances' start signal). */
async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text;
}


/** The targets of the key pool issues; reported always, enforced with --strict. A loaded host may lose a little rate. */
function keypoolTargets(figures: Record<string, unknown>): string[] {
  const missed: string[] = [];
  const efficiency = Number(figures.cpu_burn) > 0 ? 0.9 : 0.95;
  if (Number(figures.efficiency) < efficiency) missed.push(`efficiency ${String(figures.efficiency)} < ${efficiency}`);
  if (figures.http_429 !== 0) missed.push(`${String(figures.http_429)} responses were 429`);
  if (figures.failed !== 0) missed.push(`${String(figures.failed)} requests failed`);
  const after = figures.after_revoke as { ratio?: number } | undefined;
  if (after && Number(after.ratio) < efficiency) missed.push(`throughput after the revoke is ${String(after.ratio)} of the remaining capacity`);
  return missed;
}

/** No record can stop a stage (issue 11): each poison handled once, no failed batch or restart, frames on time. */
function poisonTargets(figures: Record<string, unknown>, latencyTargetMs: number): string[] {
  const missed: string[] = [];
  if (figures.poison_handled_once !== figures.poison_records) missed.push(`${String(figures.poison_handled_once)} of ${String(figures.poison_records)} poison records got exactly one outcome`);
  if (figures.batch_failures !== 0) missed.push(`${String(figures.batch_failures)} batches failed`);
  if (figures.consumer_restarts !== 0) missed.push(`the consumer restarted ${String(figures.consumer_restarts)} times`);
  if (figures.frames_missing !== 0) missed.push(`${String(figures.frames_missing)} valid frames got no task`);
  for (const name of ['before_healthy_latency_ms_max', 'during_healthy_latency_ms_max', 'during_poisoned_partition_latency_ms_max']) {
    if (Number(figures[name]) > latencyTargetMs) missed.push(`${name} ${String(figures[name])} > ${latencyTargetMs}`);
  }
  return missed;
}

export function registerBenchCommand(program: Command): void {
  const bench = program.command('bench').description('acceptance benchmarks: print figures and write them as JSON');
  bench
    .command('keypool')
    .description('key pool instances against llm-sim over HTTP, each a process of its own, with more demand than capacity')
    .option('--keys <n>', 'keys in the pool', positiveInt, 10)
    .option('--key-qps <n>', 'QPS limit of each key', positiveNumber, 5)
    .option('--key-rpm <n>', 'RPM limit of each key', positiveNumber, 300)
    .option('--duration <s>', 'seconds of load measured', positiveNumber, 30)
    .option('--warmup <s>', 'seconds of load before the measured window (each key starts cold in each instance)', nonNegativeNumber, 3)
    .option('--revoke-one-at <s>', 'revoke key-001 at the simulator this many seconds into the measured window', nonNegativeNumber)
    .option('--latency-ms <ms>', 'simulated provider latency', nonNegativeNumber, 800)
    .option('--jitter-ms <ms>', 'simulated latency jitter', nonNegativeNumber, 300)
    .option('--concurrency <n>', 'concurrent requests per instance (default: enough to saturate its share of the keys)', positiveInt)
    .option('--instances <n>', 'key pool instances (processes) sharing the keys, as a scheduler cluster', positiveInt, 1)
    .option('--partitions <n>', 'assessment-tasks partitions dealt round robin over the instances', positiveInt, 32)
    .option('--cpu-burn <n>', 'busy processes beside the bench (one core each), to measure a loaded host', nonNegativeInt, 0)
    .option('--slot-jitter-budget-ms <ms>', 'the key file\'s slot_jitter_budget_ms', nonNegativeNumber, 50)
    .addOption(new Option('--strategy <s>', 'key selection strategy').choices([...KEY_STRATEGIES]).default('least_load'))
    .option('--json <file>', 'also write the figures to this file')
    .option('--strict', 'exit 1 when a target is missed')
    .action(async (options: { keys: number; keyQps: number; keyRpm: number; duration: number; warmup: number; revokeOneAt?: number; latencyMs: number; jitterMs: number; concurrency?: number; instances: number; partitions: number; cpuBurn: number; slotJitterBudgetMs: number; strategy: (typeof KEY_STRATEGIES)[number]; json?: string; strict?: boolean }) => {
      if (options.instances > options.partitions) throw new InvalidArgumentError(`--instances ${options.instances} is more than --partitions ${options.partitions}`);
      const figures = await runKeypoolBench({
        instances: options.instances,
        partitions: options.partitions,
        cpuBurn: options.cpuBurn,
        slotJitterBudgetMs: options.slotJitterBudgetMs,
        keys: options.keys,
        keyQps: options.keyQps,
        keyRpm: options.keyRpm,
        durationS: options.duration,
        warmupS: options.warmup,
        revokeOneAtS: options.revokeOneAt ?? null,
        latencyMs: options.latencyMs,
        jitterMs: options.jitterMs,
        concurrency: options.concurrency ?? null,
        strategy: options.strategy,
      });
      const missed = keypoolTargets(figures);
      report({ ...figures, targets_met: missed.length === 0, targets_missed: missed }, options.json);
      if (options.strict && missed.length > 0) throw new ReportedFailure(`targets missed: ${missed.join('; ')}`);
    });
  bench
    .command('keypool-instance', { hidden: true })
    .description('one instance of `tcr bench keypool` (started by it): prints "ready", waits for "start <epoch ms>" on stdin')
    .requiredOption('--sim-url <url>', 'llm-sim base URL')
    .requiredOption('--keys <n>', 'keys in the pool', positiveInt)
    .requiredOption('--key-qps <n>', 'QPS limit of each key', positiveNumber)
    .requiredOption('--key-rpm <n>', 'RPM limit of each key', positiveNumber)
    .requiredOption('--owned <list>', 'partitions this instance owns ("none" for none)', (raw: string) => (raw === 'none' ? [] : list(raw).map((p) => nonNegativeInt(p))))
    .requiredOption('--partitions <n>', 'partitions in all', positiveInt)
    .requiredOption('--concurrency <n>', 'concurrent requests', positiveInt)
    .requiredOption('--duration <s>', 'seconds of load', positiveNumber)
    .requiredOption('--slot-jitter-budget-ms <ms>', 'the key file\'s slot_jitter_budget_ms', nonNegativeNumber)
    .addOption(new Option('--strategy <s>', 'key selection strategy').choices([...KEY_STRATEGIES]).default('least_load'))
    .action(async (options: { simUrl: string; keys: number; keyQps: number; keyRpm: number; owned: number[]; partitions: number; concurrency: number; duration: number; slotJitterBudgetMs: number; strategy: (typeof KEY_STRATEGIES)[number] }) => {
      process.stdout.write('ready\n');
      const [, start] = /^start (\d+)$/m.exec(await firstLine(process.stdin)) ?? [];
      if (start === undefined) throw new InvalidArgumentError('expected "start <epoch ms>" on stdin');
      const records = await runKeypoolLoad({ ...options, simUrl: options.simUrl, startAtMs: Number(start), durationS: options.duration });
      process.stdout.write(`${JSON.stringify({ records })}\n`);
    });
  bench
    .command('bus')
    .description('produce, consume and transactional transform throughput of one process (Kafka with --brokers, else the embedded bus)')
    .option('--brokers <list>', 'Kafka bootstrap brokers host:port[,…] (default: the embedded bus in a temp dir)', list, [])
    .option('--messages <n>', 'messages produced and consumed', positiveInt, 20_000)
    .option('--transform-messages <n>', 'messages run through the transactional transform', positiveInt, 5000)
    .option('--latency-samples <n>', 'messages sent at a steady rate through a transform, for its latency', positiveInt, 300)
    .option('--latency-rate <n>', 'messages per second of that steady stream (one partition)', positiveInt, 50)
    .option('--size <bytes>', 'size of each message', positiveInt, 2048)
    .option('--batch <n>', 'messages per producer send', positiveInt, 100)
    .option('--partitions <n>', 'partitions of the bench topics (Kafka)', positiveInt, 4)
    .option('--json <file>', 'also write the figures to this file')
    .action(async (options: { brokers: string[]; messages: number; transformMessages: number; latencySamples: number; latencyRate: number; size: number; batch: number; partitions: number; json?: string }) => {
      const logger = createLogger({ level: 'warn', format: 'json' });
      const figures = await runBusBench({
        brokers: options.brokers,
        messages: options.messages,
        transformMessages: Math.min(options.transformMessages, options.messages),
        latencySamples: options.latencySamples,
        latencyRate: options.latencyRate,
        messageBytes: options.size,
        batch: options.batch,
        partitions: options.partitions,
        logger,
      });
      report(figures, options.json);
    });
  bench
    .command('poison')
    .description('the expander on Kafka under a burst of poison records in one partition, valid frames in every partition')
    .requiredOption('--brokers <list>', 'Kafka bootstrap brokers host:port[,…]', list)
    .option('--partitions <n>', 'partitions of the bench topics', positiveInt, 4)
    .option('--frames <n>', 'valid frames per partition before the burst, and again with it', positiveInt, 20)
    .option('--interval-ms <ms>', 'pause between rounds of valid frames', positiveInt, 100)
    .option('--max-message-bytes <n>', 'kafka.max_message_bytes of the run', positiveInt, 1_048_576)
    .addOption(new Option('--compression <c>', 'producer compression of the bus (none makes the size limits bite hardest)').choices(['none', 'gzip']).default('none'))
    .option('--latency-target-ms <ms>', 'every valid frame must become a task within this long', positiveInt, 2000)
    .option('--timeout <s>', 'give up waiting for outcomes after this long', positiveInt, 120)
    .option('--json <file>', 'also write the figures to this file')
    .action(async (options: { brokers: string[]; partitions: number; frames: number; intervalMs: number; maxMessageBytes: number; compression: 'none' | 'gzip'; latencyTargetMs: number; timeout: number; json?: string }) => {
      const logger = createLogger({ level: 'error', format: 'json' });
      const figures = await runPoisonBench({
        brokers: options.brokers,
        partitions: options.partitions,
        framesPerPartition: options.frames,
        intervalMs: options.intervalMs,
        maxMessageBytes: options.maxMessageBytes,
        compression: options.compression,
        timeoutS: options.timeout,
        logger,
      });
      const missed = poisonTargets(figures, options.latencyTargetMs);
      report({ ...figures, targets_met: missed.length === 0, targets_missed: missed }, options.json);
      if (missed.length > 0) throw new ReportedFailure(`targets missed: ${missed.join('; ')}`);
    });
  registerBenchDetectionCommand(bench);
  registerBenchSchedulerCommand(bench);
  registerBenchWallCommand(bench);
  registerBenchE2eCommand(bench);
  registerBenchAgentCommand(bench);
}
