import { describe, expect, it } from 'vitest';
import { SecretRegistry, maskSecret, redactDeep, redactUrlCredentials } from '../../../backend/core/redact.js';

describe('core > redact', () => {
  it('masks a key to its vendor prefix and at most the last 4 characters', () => {
    expect(maskSecret('sk-test-aaaa1111')).toBe('sk-…1111');
    expect(maskSecret('0123456789abcdef9f3c')).toBe('…9f3c');
  });

  it('shows nothing of a value too short to hide anything', () => {
    expect(maskSecret('abc')).toBe('…');
    expect(maskSecret('sk-12345678')).toBe('…');
  });

  it('removes credentials from URLs inside any text', () => {
    expect(redactUrlCredentials('open rtsp://admin:hunter2@10.0.0.5:554/s1 failed')).toBe('open rtsp://***@10.0.0.5:554/s1 failed');
    expect(redactUrlCredentials('http://example.test/a@b')).toBe('http://example.test/a@b');
  });

  it('masks secret fields at any depth and keeps everything else', () => {
    const out = redactDeep({ keys: [{ name: 'k1', api_key: 'sk-test-aaaa1111' }], kafka: { sasl: { password: 'p4ssw0rd-long-enough' } }, url: 'rtsp://u:p@h/x' });
    expect(out).toEqual({ keys: [{ name: 'k1', api_key: 'sk-…1111' }], kafka: { sasl: { password: '…ough' } }, url: 'rtsp://***@h/x' });
  });

  it('scrubs registered secret values out of free text', () => {
    const registry = new SecretRegistry();
    registry.add('sk-test-aaaa1111');
    registry.add('short');
    expect(registry.scrub('auth failed for sk-test-aaaa1111 (short)')).toBe('auth failed for sk-…1111 (short)');
  });
});
