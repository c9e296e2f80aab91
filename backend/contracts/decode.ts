// Bytes → typed message or a DecodeError naming what is wrong; never throws, whatever arrives.
import type { z } from 'zod';
import { SCHEMA_VERSION } from './common.js';

/** Default size limit for one message; Kafka's own default max.message.bytes is 1 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

export type DecodeErrorCode = 'too_large' | 'invalid_utf8' | 'invalid_json' | 'unsupported_schema_version' | 'invalid_message';

export interface DecodeError {
  code: DecodeErrorCode;
  message: string;
  /** Dotted path of the first failing field (e.g. `groups[0].region`), or null when the whole message failed. */
  path: string | null;
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: DecodeError };

export interface DecodeOptions {
  maxBytes?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

function fail<T>(code: DecodeErrorCode, message: string, path: string | null = null): DecodeResult<T> {
  return { ok: false, error: { code, message, path } };
}

function byteLength(input: Uint8Array | string): number {
  // A JS string's UTF-8 size is at most 3 bytes per UTF-16 unit; the exact count only matters near the limit.
  return typeof input === 'string' ? new TextEncoder().encode(input).byteLength : input.byteLength;
}

/** Validates an already parsed value; used by decodeMessage and by producers before they send. */
export function validateMessage<S extends z.ZodType>(schema: S, value: unknown): DecodeResult<z.infer<S>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('invalid_message', 'expected a JSON object');
  }
  const version = (value as Record<string, unknown>).schema_version;
  if (version !== SCHEMA_VERSION) {
    return fail('unsupported_schema_version', `expected schema_version ${SCHEMA_VERSION}, got ${JSON.stringify(version) ?? 'nothing'}`, 'schema_version');
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue ? formatPath(issue.path) : null;
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
  return fail('invalid_message', `${path || 'message'}: ${issue?.message ?? 'invalid'}${more}`, path);
}

export function decodeMessage<S extends z.ZodType>(schema: S, input: Uint8Array | string, options: DecodeOptions = {}): DecodeResult<z.infer<S>> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const size = byteLength(input);
  if (size > maxBytes) return fail('too_large', `message is ${size} bytes, limit is ${maxBytes}`);
  let text: string;
  try {
    text = typeof input === 'string' ? input : utf8.decode(input);
  } catch {
    return fail('invalid_utf8', 'message is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail('invalid_json', `message is not JSON: ${(error as Error).message}`);
  }
  return validateMessage(schema, value);
}

/** JSON text of a message, after checking it against its schema (a producer must never emit what consumers reject). */
export function encodeMessage<S extends z.ZodType>(schema: S, message: z.infer<S>, options: DecodeOptions = {}): DecodeResult<string> {
  const checked = validateMessage(schema, message);
  if (!checked.ok) return checked;
  const text = JSON.stringify(checked.value);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const size = byteLength(text);
  if (size > maxBytes) return fail('too_large', `message is ${size} bytes, limit is ${maxBytes}`);
  return { ok: true, value: text };
}
