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

export class AttemptsExhaustedError extends AppError {
  constructor(attempts: number, lastError: string | null) {
    super('attempts_exhausted', `request failed on ${attempts} attempt(s)${lastError ? `; last: ${lastError}` : ''}`, { retriable: true });
  }
}

export class RequestRejectedError extends AppError {
  constructor(status: number | null, detail: string | null) {
    super('request_rejected', `the provider rejected the request itself (HTTP ${status ?? '?'})${detail ? `: ${detail}` : ''}`);
  }
}
