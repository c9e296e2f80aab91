// `tcr bench scheduler`: the scheduler cluster as processes on a real broker (issue 13's acceptance figures).
import { InvalidArgumentError, type Command } from 'commander';
import { ReportedFailure } from '../../core/errors.js';
import { runSchedulerBench, type SchedulerBenchOptions } from '../../bench/schedulerBench.js';
import { report } from './benchReport.js';
import { list, nonNegativeNumber, positiveInt, positiveNumber } from '../optionParsers.js';

/** The bench's options as commander parses them: seconds without the suffix, optional ones unset. */
type BenchSchedulerOptions = Omit<SchedulerBenchOptions, 'rate' | 'killOneAtS' | 'restartAfterS' | 'timeoutS'> & {
  rate?: number;
  killOneAt?: number;
  restartAfter: number;
  timeout: number;
  json?: string;
};

/** The targets: ≥ 0.9 of capacity over the steady part, nothing lost or twice, no 429. */
function schedulerTargets(figures: Record<string, unknown>): string[] {
  const missed: string[] = [];
  if (!(Number(figures.throughput_to_capacity) >= 0.9)) missed.push(`steady throughput ${String(figures.throughput_tps)} tasks/s is ${String(figures.throughput_to_capacity)} of capacity (target 0.9)`);
  for (const name of ['lost', 'duplicates', 'http_429']) if (figures[name] !== 0) missed.push(`${name} = ${String(figures[name])}`);
  return missed;
}

export function registerBenchSchedulerCommand(bench: Command): void {
  bench
    .command('scheduler')
    .description('llm-sim and a cluster of `tcr scheduler` processes on a real broker, one SIGKILLed mid-run; every task must have exactly one outcome')
    .requiredOption('--brokers <list>', 'Kafka bootstrap brokers host:port[,…]', list)
    .option('--instances <n>', 'scheduler instances (processes)', positiveInt, 3)
    .option('--workers <n>', 'assessments in flight per instance', positiveInt, 20)
    .option('--keys <n>', 'simulated API keys', positiveInt, 10)
    .option('--key-qps <n>', 'QPS limit of each key (its RPM limit is 60 ×)', positiveNumber, 5)
    .option('--tasks <n>', 'tasks written', positiveInt, 3000)
    .option('--partitions <n>', 'assessment-tasks partitions', positiveInt, 32)
    .option('--rate <n>', 'tasks written per second (default: the keys\' capacity)', positiveNumber)
    .option('--llm-latency-ms <ms>', 'simulated LLM latency', nonNegativeNumber, 800)
    .option('--llm-jitter-ms <ms>', 'simulated latency varies uniformly by ± this much', nonNegativeNumber, 300)
    .option('--kill-one-at <s>', 'SIGKILL one instance this many seconds after the first task', nonNegativeNumber)
    .option('--restart-after <s>', 'start the killed instance again after this many seconds', nonNegativeNumber, 5)
    .option('--session-timeout-ms <ms>', 'kafka.session_timeout_ms of the instances (how long a killed one holds its partitions)', positiveInt, 6000)
    .option('--task-ttl-ms <ms>', "each task's deadline after its creation", positiveInt, 300_000)
    .option('--slot-jitter-budget-ms <ms>', "the key file's slot_jitter_budget_ms (a loaded host needs more)", nonNegativeNumber, 50)
    .option('--timeout <s>', 'give up waiting for outcomes after this long', positiveInt, 600)
    .option('--json <file>', 'also write the figures to this file')
    .action(async (options: BenchSchedulerOptions) => {
      if (options.instances > options.partitions) throw new InvalidArgumentError(`--instances ${options.instances} is more than --partitions ${options.partitions}`);
      const figures = await runSchedulerBench({ ...options, rate: options.rate ?? null, killOneAtS: options.killOneAt ?? null, restartAfterS: options.restartAfter, timeoutS: options.timeout });
      const missed = schedulerTargets(figures);
      report({ ...figures, targets_met: missed.length === 0, targets_missed: missed }, options.json);
      if (missed.length > 0) throw new ReportedFailure(`targets missed: ${missed.join('; ')}`);
    });
}
