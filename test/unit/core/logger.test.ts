import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, defaultLogFormat } from '../../../backend/core/logger.js';
import { knownSecrets } from '../../../backend/core/redact.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('core > logger', () => {
  it('writes JSON lines with the message and fields', () => {
    const out = capture();
    createLogger({ level: 'info', format: 'json', destination: out.stream }).child({ stage: 'keypool' }).info({ key: 'key-001' }, 'key cooled down');
    const line = JSON.parse(out.text()) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'key cooled down', stage: 'keypool', key: 'key-001', level: 30 });
  });

  it('redacts secret fields, camera URL credentials and registered key values wherever they appear', () => {
    knownSecrets.add('sk-live-zzzz9999');
    const out = capture();
    const logger = createLogger({ level: 'info', format: 'json', destination: out.stream });
    logger.info({ api_key: 'sk-test-aaaa1111', request: { token: 'tok-abcdef0123456789' } }, 'calling');
    logger.warn({ url: 'rtsp://admin:hunter2@192.0.2.1/s' }, 'camera down');
    logger.error(`provider said: invalid key sk-live-zzzz9999`);
    const text = out.text();
    expect(text).not.toContain('sk-test-aaaa1111');
    expect(text).not.toContain('tok-abcdef0123456789');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('sk-live-zzzz9999');
    expect(text).toContain('sk-…9999');
    expect(text).toContain('rtsp://***@192.0.2.1/s');
  });

  it('is readable at a terminal and JSON for servers and pipes', () => {
    expect(defaultLogFormat(false, true)).toBe('pretty');
    expect(defaultLogFormat(true, true)).toBe('json');
    expect(defaultLogFormat(false, false)).toBe('json');
  });
});
