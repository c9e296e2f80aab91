// The kafkajs client built from the validated config: brokers, TLS, SASL, timeouts, and logs through pino.
import { readFileSync } from 'node:fs';
import kafkajs, { type Kafka, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import type { AppConfig } from '../../config/index.js';
import type { Logger } from '../../core/logger.js';
import { assertAbortedTransactionsFiltered } from './abortedTransactionFilter.js';
import { registerCompressionCodecs } from './compressionCodecs.js';

// kafkajs is CommonJS: its classes and enums are reached through the default export under Node's ESM loader.
const { Kafka: KafkaClient, logLevel } = kafkajs;

export type KafkaSettings = AppConfig['kafka'];

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'trace'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'trace',
};

/** kafkajs's debug lines carry decoded protocol data with Buffers, which the redaction walk cannot traverse. */
function plainFields(fields: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(fields, function (this: Record<string, unknown>, key: string, value: unknown) {
      const original = this[key];
      return ArrayBuffer.isView(original) ? `<${original.byteLength} bytes>` : value;
    }),
  ) as Record<string, unknown>;
}

/** The broker's answer to a transaction that follows another of the same id too closely; retried, not a fault. */
const EXPECTED_BUSY = 'another concurrent operation on the same transaction was ongoing';

function logCreator(logger: Logger): KafkaConfig['logCreator'] {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...fields } = log;
      const expected = `${String(fields.error ?? '')} ${message}`.includes(EXPECTED_BUSY);
      // kafkajs calls this inside its consumer loop: a throwing logger would crash the consumer.
      try {
        logger[expected ? 'debug' : (LEVELS[level] ?? 'info')]({ ...plainFields(fields), kafka_level: level }, message);
      } catch (error) {
        logger.warn({ err: error, kafka_level: level }, `${message} (fields could not be logged)`);
      }
    };
}

function sasl(settings: KafkaSettings): SASLOptions | undefined {
  if (!settings.sasl) return undefined;
  const { mechanism, username, password } = settings.sasl;
  return { mechanism, username, password } as SASLOptions;
}

export interface KafkaClientOptions {
  /** Attempts on a failing request before giving up (kafkajs retries with exponential backoff). */
  retries?: number;
  /** Upper bound of one retry sequence, ms. */
  maxRetryTime?: number;
  /** The process's instance_id, appended to the client id prefix. */
  instanceId?: string;
}

export function createKafkaClient(settings: KafkaSettings, logger: Logger, options: KafkaClientOptions = {}): Kafka {
  assertAbortedTransactionsFiltered();
  registerCompressionCodecs();
  const { ssl } = settings;
  return new KafkaClient({
    clientId: options.instanceId ? `${settings.client_id}-${options.instanceId}` : settings.client_id,
    brokers: settings.brokers,
    connectionTimeout: settings.connection_timeout_ms,
    requestTimeout: settings.request_timeout_ms,
    ssl: ssl.enabled
      ? {
          rejectUnauthorized: ssl.reject_unauthorized,
          ca: ssl.ca_file ? [readFileSync(ssl.ca_file, 'utf8')] : undefined,
          cert: ssl.cert_file ? readFileSync(ssl.cert_file, 'utf8') : undefined,
          key: ssl.key_file ? readFileSync(ssl.key_file, 'utf8') : undefined,
        }
      : undefined,
    sasl: sasl(settings),
    retry: { retries: options.retries ?? 8, maxRetryTime: options.maxRetryTime ?? 30_000, initialRetryTime: 300 },
    // kafkajs's own INFO lines (joins, assignments) are useful only when debugging.
    logLevel: logger.isLevelEnabled('trace') ? logLevel.DEBUG : logger.isLevelEnabled('debug') ? logLevel.INFO : logLevel.WARN,
    logCreator: logCreator(logger),
  });
}
