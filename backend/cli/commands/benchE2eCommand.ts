// `tcr bench e2e`: the acceptance run (issue 18): the whole site as processes, faults injected, every task
// accounted for; figures as JSON and a Markdown report with charts.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ReportedFailure } from '../../core/errors.js';
import { runE2eBench } from '../../bench/e2e/e2eBench.js';
import { AGENT_TOKEN_VARIABLE } from '../../bench/e2e/e2eAgent.js';
import { FAULTS, type Fault } from '../../bench/e2e/e2eFaults.js';
import { PLACEABLE_ROLES, type PlaceableRole } from '../../bench/e2e/e2eSite.js';
import { writeE2eReport } from '../../bench/e2e/e2eReport.js';
import { exitAfterStop } from '../exitAfterStop.js';
import { report } from './benchReport.js';
import { list, nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber } from '../optionParsers.js';

const fromCheckout = (relative: string): string => fileURLToPath(new URL(`../../../${relative}`, import.meta.url));

function parseFaults(raw: string): Fault[] {
  if (raw === 'all') return [...FAULTS];
  if (raw === 'none') return [];
  const faults = list(raw);
  const unknown = faults.filter((fault) => !(FAULTS as readonly string[]).includes(fault));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown fault ${unknown.join(', ')} (faults: all, none, or any of ${FAULTS.join(', ')})`);
  return faults as Fault[];
}

/** `role=URL`: the role runs on the host of that `tcr bench agent`. */
function parseAgent(raw: string, previous: Map<PlaceableRole, string>): Map<PlaceableRole, string> {
  const match = /^([a-z]+)=(https?:\/\/\S+)$/.exec(raw);
  if (!match || !(PLACEABLE_ROLES as readonly string[]).includes(match[1]!)) {
    throw new InvalidArgumentError(`expected role=http://host:port with a role of ${PLACEABLE_ROLES.join(', ')} (the others need this host's simulator, keys or store)`);
  }
  return new Map([...previous, [match[1] as PlaceableRole, match[2]!]]);
}

interface BenchE2eOptions {
  brokers: string[];
  cameras: number;
  fps: number;
  keys: number;
  keyQps: number;
  llmLatencyMs: number;
  llmJitterMs: number;
  duration: number;
  warmup: number;
  schedulers: number;
  workers: number;
  faults: Fault[];
  model: string;
  inputSize: number;
  video: string[];
  images: string;
  dedupWindowMs: number;
  compression: 'none' | 'gzip';
  agent: Map<PlaceableRole, string>;
  brokerControl?: string;
  drainTimeout: number;
  keepFiles?: boolean;
  chromium: string;
  json?: string;
  report?: string;
}

/** The local broker of `npm run kafka:start` is stopped and started by its script; another one needs --broker-control. */
function brokerControlOf(options: BenchE2eOptions): string[] | null {
  if (options.brokerControl) return options.brokerControl.split(' ').filter(Boolean);
  const script = fromCheckout('tools/kafka/kafka.sh');
  const local = options.brokers.length === 1 && /^(127\.0\.0\.1|localhost):9092$/.test(options.brokers[0]!);
  return local && existsSync(script) ? ['bash', script] : null;
}

export function registerBenchE2eCommand(bench: Command): void {
  bench
    .command('e2e')
    .description('the acceptance run: every role a process on a real broker, cameras looping street footage, faults injected; each task accounted for; exit 1 when a target is missed')
    .requiredOption('--brokers <list>', 'Kafka bootstrap brokers host:port[,…]', list)
    .option('--cameras <n>', 'cameras, each looping a real street clip', positiveInt, 50)
    .option('--fps <n>', 'frames per second per camera', positiveNumber, 1)
    .option('--keys <n>', 'simulated API keys', positiveInt, 10)
    .option('--key-qps <n>', 'QPS limit of each key (its RPM limit is 60 ×)', positiveNumber, 5)
    .option('--llm-latency-ms <ms>', 'simulated LLM latency', nonNegativeNumber, 800)
    .option('--llm-jitter-ms <ms>', 'simulated latency varies uniformly by ± this much', nonNegativeNumber, 200)
    .option('--duration <s>', 'seconds measured (the faults are spread over them)', positiveInt, 120)
    .option('--warmup <s>', 'seconds after the first stored verdict before measuring', nonNegativeInt, 10)
    .option('--schedulers <n>', 'scheduler instances (processes)', positiveInt, 3)
    .option('--workers <n>', 'assessments in flight per scheduler instance', positiveInt, 20)
    .option('--faults <list>', `all, none, or a comma-separated list of ${FAULTS.join(', ')}`, parseFaults, [...FAULTS])
    .option('--model <file>', 'detector model (the 320-px capacity profile by default)', fromCheckout('resources/models/yolox_nano_320.onnx'))
    .option('--input-size <px>', "the model's input side", positiveInt, 320)
    // Only footage the detector finds road users in: the shared overhead parking-lot video (../shared/data/PROVENANCE.md)
    // gives no groups, so cameras on it would supply nothing to the throughput being measured.
    .option('--video <file>', 'a clip the cameras loop, besides those made from --images (repeatable)', (value: string, previous: string[]) => [...previous, value], [fromCheckout('resources/demo/street-demo.mp4')])
    .option('--images <folder>', 'photos two panned clips are made from', '../shared/data/images')
    // Shorter than the shortest clip's loop (15 s): a looped scene is one camera's next traffic, which a site would
    // assess, not a repeat; at a site's 30 s every loop of every camera is dropped as a repeat (docs/ACCEPTANCE.md).
    .option('--dedup-window-ms <ms>', "the expander's dedup_window_ms", nonNegativeInt, 10_000)
    .addOption(new Option('--compression <codec>', "every process's kafka.compression").choices(['none', 'gzip']).default('gzip'))
    .option('--agent <role=url>', `run a role (${PLACEABLE_ROLES.join(', ')}) on another host, through the \`tcr bench agent\` there (repeatable; the token from ${AGENT_TOKEN_VARIABLE})`, parseAgent, new Map<PlaceableRole, string>())
    .option('--broker-control <command>', 'command that stops and starts the broker with "stop" / "start" / "status" appended (default for 127.0.0.1:9092: tools/kafka/kafka.sh)')
    .option('--drain-timeout <s>', 'once intake stopped, how long to wait for every task to have its outcome', positiveInt, 180)
    .option('--keep-files', "keep the run's folder (configs, each process's log, the results store); it is kept anyway when the accounting fails")
    .option('--chromium <path>', 'Chromium executable that renders the charts', process.env.TCR_CHROMIUM ?? '/usr/bin/chromium')
    .option('--json <file>', 'also write the figures to this file')
    .option('--report <file>', 'write the Markdown report here, its charts beside it')
    .action(async (options: BenchE2eOptions) => {
      try {
        await benchE2e(options);
      } finally {
        // The bench's own Kafka clients lived through the broker's restart too.
        exitAfterStop();
      }
    });
}

async function benchE2e(options: BenchE2eOptions): Promise<void> {
  const brokerControl = brokerControlOf(options);
  if (options.faults.includes('broker_stopped') && brokerControl === null) {
    throw new InvalidArgumentError('the broker_stopped fault needs --broker-control (how to stop and start this broker), or leave it out of --faults');
  }
  if (options.cameras < 2 && options.faults.includes('camera_killed')) throw new InvalidArgumentError('camera_killed takes one camera away: give --cameras 2 or more');
  const agentToken = process.env[AGENT_TOKEN_VARIABLE] ?? null;
  if (options.agent.size > 0 && !agentToken) throw new InvalidArgumentError(`--agent needs the agents' token in ${AGENT_TOKEN_VARIABLE}`);
  const result = await runE2eBench(
    {
      ...options,
      durationS: options.duration,
      warmupS: options.warmup,
      modelPath: options.model,
      clips: { videos: options.video, imagesFolder: options.images },
      agents: options.agent,
      agentToken,
      brokerControl,
      drainTimeoutS: options.drainTimeout,
      keepFiles: options.keepFiles === true,
    },
    (line) => process.stderr.write(`bench e2e ${new Date().toISOString().slice(11, 19)}: ${line}\n`),
  );
  const missed = result.targets.filter((target) => !target.pass).map((target) => `${target.name}: ${target.measured} (target ${target.target})`);
  report({ ...result.figures, targets: result.targets, targets_met: missed.length === 0 }, options.json);
  if (options.report) {
    const written = await writeE2eReport(options.report, result, { chromiumPath: options.chromium, command: `tcr bench e2e ${process.argv.slice(process.argv.indexOf('e2e') + 1).join(' ')}` });
    process.stderr.write(`bench e2e: report ${options.report} with ${written.charts.length} charts\n`);
  }
  if (missed.length > 0) throw new ReportedFailure(`targets missed: ${missed.join('; ')}`);
}
