// The gateway's API token: from the config (an ${ENV_VAR}) or, when unset, generated at first start and kept in
// data_dir, readable by its owner only, so the desktop shell, `tcr token` and scripts all find the one the server uses.
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/index.js';
import { AppError } from '../core/errors.js';
import { knownSecrets } from '../core/redact.js';

const TOKEN_FILE = 'gateway.token';
/** 32 random bytes: guessing is hopeless, and the token stays one copy-pasteable word. */
const TOKEN_BYTES = 32;
const MIN_TOKEN_LENGTH = 16;

export interface GatewayToken {
  token: string;
  /** Where it came from, for the start-up log (never the token itself). */
  source: 'config' | 'generated' | 'file';
  file: string | null;
}

export function tokenFilePath(config: AppConfig): string {
  return join(config.data_dir, TOKEN_FILE);
}

function readTokenFile(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError('gateway_token_unreadable', `${file}: ${(error as Error).message}`, { cause: error });
  }
  const token = text.trim();
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new AppError('gateway_token_unreadable', `${file}: not a token (expected one word of at least ${MIN_TOKEN_LENGTH} characters); delete the file to have a new one generated`);
  }
  // A token file others can read is a token others have: tighten it rather than refuse to start.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return token;
}

/** The token the gateway of this config uses, generating and storing it on first use (by the server or `tcr token`). */
export function ensureGatewayToken(config: AppConfig): GatewayToken {
  const found = findOrCreateToken(config);
  // Whatever logs an error that quotes a request or a config must not print the token.
  knownSecrets.add(found.token);
  return found;
}

function findOrCreateToken(config: AppConfig): GatewayToken {
  if (config.gateway.token !== null) return { token: config.gateway.token, source: 'config', file: null };
  const file = tokenFilePath(config);
  const existing = readTokenFile(file);
  if (existing !== null) return { token: existing, source: 'file', file };
  mkdirSync(config.data_dir, { recursive: true });
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  // Written whole under a name of its own, then linked into place: two processes starting at once on one data_dir
  // agree on one token (the link fails for the second), and neither ever reads a half-written file.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(draft, `${token}\n`, { mode: 0o600, flag: 'wx' });
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { token: readTokenFile(file)!, source: 'file', file };
    throw new AppError('gateway_token_unwritable', `${file}: ${(error as Error).message}`, { cause: error });
  } finally {
    rmSync(draft, { force: true });
  }
  return { token, source: 'generated', file };
}
