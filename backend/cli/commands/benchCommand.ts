// `tcr bench …`: acceptance benchmarks. Each prints its figures and writes them as JSON; none asserts timing in tests.
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { KEY_STRATEGIES } from '../../config/index.js';
import { NotAvailableError, ReportedFailure } from '../../core/errors.js';
import { runKeypoolBench } from '../../bench/keypoolBench.js';
import { nonNegativeNumber, positiveInt, positiveNumber } from '../optionParsers.js';

function report(figures: Record<string, unknown>, jsonFile: string | undefined): void {
  for (const [name, value] of Object.entries(figures)) {
    process.stdout.write(`${name.padEnd(20)} ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}\n`);
  }
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(figures, null, 2)}\n`);
}

/** The targets of the key pool issue; reported always, enforced with --strict. */
function keypoolTargets(figures: Record<string, unknown>): string[] {
  const missed: string[] = [];
  if (Number(figures.efficiency) < 0.97) missed.push(`efficiency ${String(figures.efficiency)} < 0.97`);
  if (figures.http_429 !== 0) missed.push(`${String(figures.http_429)} responses were 429`);
  if (figures.failed !== 0) missed.push(`${String(figures.failed)} requests failed`);
  const after = figures.after_revoke as { ratio?: number } | undefined;
  if (after && Number(after.ratio) < 0.97) missed.push(`throughput after the revoke is ${String(after.ratio)} of the remaining capacity`);
  return missed;
}

export function registerBenchCommand(program: Command): void {
  const bench = program.command('bench').description('acceptance benchmarks: print figures and write them as JSON');
  bench
    .command('keypool')
    .description('the key pool against llm-sim over HTTP, with more demand than capacity')
    .option('--keys <n>', 'keys in the pool', positiveInt, 10)
    .option('--key-qps <n>', 'QPS limit of each key', positiveNumber, 5)
    .option('--key-rpm <n>', 'RPM limit of each key', positiveNumber, 300)
    .option('--duration <s>', 'seconds of load', positiveNumber, 30)
    .option('--revoke-one-at <s>', 'revoke key-001 at the simulator after this many seconds', nonNegativeNumber)
    .option('--latency-ms <ms>', 'simulated provider latency', nonNegativeNumber, 800)
    .option('--jitter-ms <ms>', 'simulated latency jitter', nonNegativeNumber, 300)
    .option('--concurrency <n>', 'concurrent requests (default: enough to saturate every key)', positiveInt)
    .addOption(new Option('--strategy <s>', 'key selection strategy').choices([...KEY_STRATEGIES]).default('least_load'))
    .option('--json <file>', 'also write the figures to this file')
    .option('--strict', 'exit 1 when a target is missed')
    .action(async (options: { keys: number; keyQps: number; keyRpm: number; duration: number; revokeOneAt?: number; latencyMs: number; jitterMs: number; concurrency?: number; strategy: (typeof KEY_STRATEGIES)[number]; json?: string; strict?: boolean }) => {
      const figures = await runKeypoolBench({
        keys: options.keys,
        keyQps: options.keyQps,
        keyRpm: options.keyRpm,
        durationS: options.duration,
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
  for (const name of ['detection', 'pipeline']) {
    bench
      .command(name)
      .description(`the ${name} benchmark (a later milestone)`)
      .allowUnknownOption()
      .action(() => {
        throw new NotAvailableError(`tcr bench ${name}`);
      });
  }
}
