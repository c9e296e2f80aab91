// kafkajs errors as our AppErrors: one line saying what failed, retriable when kafkajs says so.
import { AppError } from '../../core/errors.js';

export class KafkaError extends AppError {}

interface KafkaJsErrorShape {
  name?: string;
  message?: string;
  retriable?: boolean;
  cause?: unknown;
}

/** The innermost message of a kafkajs error chain ("Connection error: connect ECONNREFUSED 127.0.0.1:9999"). */
function rootMessage(error: unknown): string {
  let current = error as KafkaJsErrorShape | undefined;
  let message = current?.message ?? String(error);
  for (let depth = 0; current?.cause && depth < 5; depth++) {
    current = current.cause as KafkaJsErrorShape;
    if (current?.message) message = current.message;
  }
  return message;
}

export function toKafkaError(error: unknown, action: string): AppError {
  if (error instanceof AppError) return error;
  const shape = error as KafkaJsErrorShape;
  const connection = /Connection|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH/.test(`${shape?.name ?? ''} ${rootMessage(error)}`);
  return new KafkaError(connection ? 'kafka_unreachable' : 'kafka_error', `${action}: ${rootMessage(error)}`, {
    retriable: connection || shape?.retriable === true,
    cause: error,
  });
}
