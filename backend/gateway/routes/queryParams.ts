// Query parameters of the list routes: bounded numbers, and opaque page cursors a client passes back as given.
import { HttpError } from '../../core/httpResponses.js';

export function positiveInt(raw: string | null, name: string, max: number): number | undefined {
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new HttpError(400, `${name}: a whole number from 1 to ${max}`);
  return value;
}

export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/** The cursor a page gave as `next`; anything else is a 400, never a query with odd values. */
export function decodeCursor<T>(raw: string | null, read: (parts: unknown[]) => T | null): T | undefined {
  if (raw === null || raw === '') return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  const value = Array.isArray(parts) ? read(parts) : null;
  const sane = value !== null && Object.values(value as object).every((field) => (typeof field === 'number' ? Number.isSafeInteger(field) : typeof field === 'string'));
  if (!sane) throw new HttpError(400, 'before: not a cursor this API gave out');
  return value;
}
