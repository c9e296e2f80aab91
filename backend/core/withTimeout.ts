// Bounds an operation that a library may leave hanging (kafkajs transactions are known to), with a typed error.
import { AppError } from './errors.js';

export class OperationTimeoutError extends AppError {
  constructor(what: string, ms: number) {
    super('operation_timeout', `${what} did not finish within ${ms} ms`, { retriable: true });
  }
}

export async function withTimeout<T>(operation: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OperationTimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([operation, expired]);
  } finally {
    clearTimeout(timer);
  }
}
