// Why an acquire did not get a key.
import { AppError } from '../core/errors.js';

export class LeaseDeadlineError extends AppError {
  constructor(waitedMs: number) {
    super('lease_deadline', `no API key became free within the deadline (waited ${Math.round(waitedMs)} ms)`, { retriable: true });
  }
}

export class NoUsableKeysError extends AppError {
  constructor() {
    super('no_usable_keys', 'every API key is disabled or removed; fix the key file', { retriable: false });
  }
}

export class PoolClosedError extends AppError {
  constructor() {
    super('pool_closed', 'the key pool is closed');
  }
}
