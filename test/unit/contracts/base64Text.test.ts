import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isBase64Text } from '../../../backend/contracts/common.js';
import { messageJsonSchema } from '../../../backend/contracts/jsonSchema.js';

// The JSON Schema's pattern is what other languages validate with; the check must say exactly what it says.
const pattern = new RegExp('^[A-Za-z0-9+/]*={0,2}$');

describe('contracts > base64 text', () => {
  it('agrees with the pattern the JSON Schema publishes', () => {
    const schema = JSON.stringify(messageJsonSchema('DetectionResultMessage'));
    expect(schema).toContain(JSON.stringify(pattern.source));
    const cases = [
      '', '=', '==', '===', 'QQ', 'QQ==', 'QQ=', 'Q===', '=QQ', 'Q=Q', 'ab+/', 'ab-_', 'ab cd', 'ab\ncd', 'é', 'ab\u0000', 'A'.repeat(5) + '\uD800',
      randomBytes(3000).toString('base64'), randomBytes(3001).toString('base64'), randomBytes(3000).toString('base64url'),
    ];
    // Every ASCII character (and one beyond) at the start, in the middle and at the end of valid text.
    for (let code = 0; code <= 128; code++) {
      const char = String.fromCharCode(code);
      cases.push(`${char}QUJD`, `QU${char}JD`, `QUJD${char}`, `QUJD${char}=`, `QUJD=${char}`);
    }
    for (const text of cases) expect(isBase64Text(text), JSON.stringify(text)).toBe(pattern.test(text));
  });
});
