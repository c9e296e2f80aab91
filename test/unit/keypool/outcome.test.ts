import { describe, expect, it } from 'vitest';
import { classifyStatus, parseRetryAfter } from '../../../backend/keypool/outcome.js';

describe('keypool > outcome', () => {
  it.each([
    [200, 'success'],
    [429, 'rate_limited'],
    [401, 'auth'],
    [403, 'auth'],
    [500, 'server'],
    [503, 'server'],
    [408, 'server'],
    [null, 'server'],
    [400, 'client'],
    [404, 'client'],
  ] as const)('classifies HTTP %s as %s', (status, kind) => {
    expect(classifyStatus(status)).toBe(kind);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter('0.5', 0)).toBe(500);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(null, 0)).toBeNull();
  });
});
