// `tcr setup-kafka`: creates or validates the pipeline topics on a cluster; --apply fixes what Kafka allows.
import type { Command } from 'commander';
import { loadAppConfig, type Env } from '../../config/index.js';
import { AppError, ReportedFailure } from '../../core/errors.js';
import { OperationTimeoutError, withTimeout } from '../../core/withTimeout.js';
import { createLogger } from '../../core/logger.js';
import { createKafkaClient } from '../../bus/kafka/kafkaClient.js';
import { KafkaError, toKafkaError } from '../../bus/kafka/kafkaErrors.js';
import { setupTopics, type SetupReport } from '../../bus/kafka/setupTopics.js';
import { topicSpecs } from '../../bus/topics.js';
import { list, positiveNumber } from '../optionParsers.js';

interface SetupKafkaOptions {
  config: string;
  brokers?: string[];
  dev?: boolean;
  apply?: boolean;
  timeout: number;
}

function print(report: SetupReport): void {
  for (const topic of report.created) process.stdout.write(`created   ${topic}\n`);
  for (const topic of report.unchanged) process.stdout.write(`ok        ${topic}\n`);
  for (const mismatch of report.mismatches) {
    const state = mismatch.fixed ? 'fixed' : mismatch.fixable ? 'mismatch' : 'mismatch (Kafka cannot change this in place)';
    process.stdout.write(`${state.padEnd(9)} ${mismatch.topic}: ${mismatch.field} is ${mismatch.actual}, expected ${mismatch.expected}${!mismatch.fixed && mismatch.fixable ? ' (fix with --apply)' : ''}\n`);
  }
}

export function registerSetupKafkaCommand(program: Command, env: Env): void {
  program
    .command('setup-kafka')
    .description('create the pipeline topics, or report how existing ones differ from the config')
    .option('--config <file>', 'process config (topic names, partitions, retention)', env.TCR_CONFIG ?? 'config/default.yaml')
    .option('--brokers <list>', 'host:port[,host:port…] (default: kafka.brokers of the config)', list)
    .option('--dev', 'replication factor 1, for single-broker development clusters')
    .option('--apply', 'fix what Kafka allows on existing topics (more partitions, topic configs)')
    .option('--timeout <s>', 'give up when the cluster does not answer within this many seconds', positiveNumber, 30)
    .action(async (options: SetupKafkaOptions) => {
      const config = loadAppConfig(options.config, env);
      const brokers = options.brokers ?? config.kafka.brokers;
      if (brokers.length === 0) throw new AppError('kafka_unconfigured', 'no brokers: pass --brokers or set kafka.brokers in the config');
      // kafkajs logs every retry as an error; the command's own one-line failure says it better.
      const logger = createLogger({ level: 'fatal', format: 'json' }).child({ stage: 'setup-kafka' });
      const kafka = createKafkaClient({ ...config.kafka, brokers }, logger, { retries: Math.ceil(options.timeout / 2), maxRetryTime: 2000 });
      const admin = kafka.admin();
      let report: SetupReport;
      try {
        report = await withTimeout(
          (async () => {
            await admin.connect();
            return setupTopics(admin, topicSpecs(config.kafka, options.dev === true), options.apply === true);
          })(),
          options.timeout * 1000,
          `setting up topics on ${brokers.join(', ')}`,
        );
        print(report);
      } catch (error) {
        if (error instanceof OperationTimeoutError) {
          throw new KafkaError('kafka_unreachable', `no answer from ${brokers.join(', ')} within ${options.timeout} s`, { retriable: true });
        }
        throw toKafkaError(error, `setting up topics on ${brokers.join(', ')}`);
      } finally {
        await admin.disconnect();
      }
      if (report.mismatches.some((mismatch) => !mismatch.fixed)) throw new ReportedFailure('topics differ from the config');
    });
}
