// `tcr scheduler`: one instance of the scheduler cluster (the original design's
// `python -m streaming.task_scheduler --config config/api_keys.yaml --workers 10 --instance-id N`).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { startApp } from '../../app.js';
import { loadAppConfig, type AppConfig, type Env } from '../../config/index.js';
import { createLogger, defaultLogFormat } from '../../core/logger.js';
import { exitAfterStop } from '../exitAfterStop.js';
import { list, port, positiveInt } from '../optionParsers.js';

interface SchedulerOptions {
  config: string;
  appConfig: string;
  workers?: number;
  instanceId?: string;
  brokers?: string[];
  opsHost?: string;
  opsPort?: number;
  logFormat?: 'json' | 'pretty';
}

const INSTANCE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The process config with the instance's flags applied; the flags win over the file. */
function instanceConfig(base: AppConfig, options: SchedulerOptions): AppConfig {
  const config: AppConfig = {
    ...base,
    instance_id: options.instanceId ?? base.instance_id,
    kafka: { ...base.kafka, brokers: options.brokers ?? base.kafka.brokers },
    llm: { ...base.llm, api_keys_file: options.config },
    scheduler: {
      ...base.scheduler,
      workers: options.workers ?? base.scheduler.workers,
      // An instance of the cluster is there to call the LLM: a missing key file is an error, not the rules default.
      assessor: base.scheduler.assessor === 'auto' ? 'llm' : base.scheduler.assessor,
      ops: { host: options.opsHost ?? base.scheduler.ops.host, port: options.opsPort ?? base.scheduler.ops.port },
    },
  };
  if (config.kafka.brokers.length === 0) {
    throw new InvalidArgumentError('a scheduler instance joins a cluster on Kafka: give --brokers or kafka.brokers (one process on the embedded bus: tcr server --roles scheduler)');
  }
  return config;
}

export function registerSchedulerCommand(program: Command, env: Env): void {
  program
    .command('scheduler')
    .description('run one scheduler instance of the cluster: assessment-tasks → LLM through the key pool → risk-assessment-results')
    .option('--config <file>', 'API key pool file', 'config/api_keys.yaml')
    .option('--workers <n>', 'assessments in flight in this instance (default: scheduler.workers)', positiveInt)
    .option('--instance-id <id>', 'instance id in logs, metrics and Kafka client ids (default: instance_id)', (raw: string) => {
      if (!INSTANCE_ID.test(raw)) throw new InvalidArgumentError('letters, digits, . _ - (1–64)');
      return raw;
    })
    .option('--app-config <file>', 'process config (Kafka, topics, LLM, prompt)', env.TCR_CONFIG ?? 'config/default.yaml')
    .option('--brokers <list>', 'Kafka bootstrap brokers host:port[,…] (default: kafka.brokers)', list)
    .option('--ops-host <host>', 'listen address of /healthz, /metrics, /api-key-pool/health (default: scheduler.ops.host)')
    .option('--ops-port <port>', 'their port, 0 for any free one (default: scheduler.ops.port, 8080)', port)
    .addOption(new Option('--log-format <format>', 'log lines as JSON or readable (default: config log.format)').choices(['json', 'pretty']))
    .action(async (options: SchedulerOptions) => {
      const config = instanceConfig(loadAppConfig(options.appConfig, env), options);
      const format = options.logFormat ?? (config.log.format === 'auto' ? defaultLogFormat(true, process.stderr.isTTY) : config.log.format);
      const logger = createLogger({ level: config.log.level, format });
      const app = await startApp(config, ['scheduler'], logger, { env, opsServer: true });
      // One line on stdout for supervisors and benchmarks; the log says the same on stderr.
      process.stdout.write(`scheduler ${config.instance_id} ops on ${app.opsUrl ?? ''}\n`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      logger.info({ signal, drain_timeout_ms: config.scheduler.drain_timeout_ms }, 'draining: assessments in flight finish and commit, then the instance leaves its group');
      await app.stop();
      logger.info('stopped');
      exitAfterStop();
    });
}
