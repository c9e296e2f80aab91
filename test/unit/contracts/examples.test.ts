import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMessage, MESSAGE_SCHEMAS, type MessageName } from '../../../backend/contracts/index.js';

interface Vector {
  name: string;
  message: MessageName;
  file: string;
  expect: { ok: true } | { ok: false; code: string; path: string | null };
  json_schema: 'valid' | 'invalid' | 'not_json';
}

const examples = new URL('../../../docs/contracts/examples/', import.meta.url);
const vectors = JSON.parse(readFileSync(new URL('vectors.json', examples), 'utf8')) as Vector[];

describe('contracts > examples (shared test vectors for other languages)', () => {
  it('covers every message with valid and invalid vectors', () => {
    for (const name of Object.keys(MESSAGE_SCHEMAS)) {
      expect(vectors.some((vector) => vector.message === name && vector.expect.ok)).toBe(true);
      expect(vectors.some((vector) => vector.message === name && !vector.expect.ok)).toBe(true);
    }
  });

  it.each(vectors.map((vector) => [`${vector.message}/${vector.name}`, vector] as const))('%s gets exactly the verdict, code and path it lists', (_label, vector) => {
    const decoded = decodeMessage(MESSAGE_SCHEMAS[vector.message], readFileSync(new URL(vector.file, examples)));
    if (vector.expect.ok) expect(decoded).toMatchObject({ ok: true });
    else expect(decoded.ok ? decoded : { code: decoded.error.code, path: decoded.error.path }).toEqual({ code: vector.expect.code, path: vector.expect.path });
  });
});
