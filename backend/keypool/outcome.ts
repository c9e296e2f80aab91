// What happened to a request made with a lease, as the pool needs to know it.

/**
 * success: the provider answered (even if the content was unusable: that is the model's fault, not the key's);
 * rate_limited: 429; auth: 401/403 (revoked or wrong key); server: 5xx, timeout, reset;
 * client: another 4xx (the request's fault, the key is fine); cancelled: the caller gave up first.
 */
export type OutcomeKind = 'success' | 'rate_limited' | 'auth' | 'server' | 'client' | 'cancelled';

export interface LeaseOutcome {
  kind: OutcomeKind;
  latencyMs: number;
  /** HTTP status, or null when no response arrived (timeout, connection reset). */
  status: number | null;
  /** From the provider's Retry-After header, in milliseconds. */
  retryAfterMs?: number | null;
  /** Tokens the provider reports the request used (prompt + completion), to correct the TPM estimate. */
  tokens?: number | null;
  /** Short description for the health view; must not contain the key. */
  error?: string | null;
}

export function classifyStatus(status: number | null): OutcomeKind {
  if (status === null) return 'server';
  if (status >= 200 && status < 300) return 'success';
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 500 || status === 408) return 'server';
  return 'client';
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, nowEpochMs: number): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - nowEpochMs);
}
