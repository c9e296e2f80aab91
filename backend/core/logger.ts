// The one pino root logger: JSON lines for servers and files, readable lines in a terminal, secrets redacted.
import { pino, type Logger, type LoggerOptions } from 'pino';
import { SECRET_FIELD_NAMES, knownSecrets, redactUrlCredentials } from './redact.js';

export type { Logger } from 'pino';
export type LogFormat = 'json' | 'pretty';

export interface LoggerSettings {
  level: string;
  format: LogFormat;
  /** Where JSON lines go; defaults to stderr, so stdout stays free for command output. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
}

/** pino redaction paths for every secret field name, at the depths where our log fields put them. */
export function redactionPaths(): string[] {
  const paths: string[] = [];
  for (const name of SECRET_FIELD_NAMES) {
    paths.push(name, `*.${name}`, `*.*.${name}`, `*[*].${name}`, `*.*[*].${name}`);
  }
  paths.push('headers.authorization', '*.headers.authorization', 'req.headers.authorization');
  return paths;
}

function scrubLine(line: string): string {
  return knownSecrets.scrub(redactUrlCredentials(line));
}

export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    redact: { paths: redactionPaths(), censor: '[redacted]' },
    hooks: { streamWrite: scrubLine },
    base: { pid: process.pid },
  };
  if (settings.format === 'pretty' && settings.destination === undefined) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, destination: 2 } } });
  }
  return pino(options, settings.destination ?? pino.destination(2));
}

/** JSON for servers, pipes and files; pretty only for a person at a terminal. */
export function defaultLogFormat(serverMode: boolean, isTty: boolean): LogFormat {
  return !serverMode && isTty ? 'pretty' : 'json';
}
