// The results store's SQLite file: opened in WAL, brought to this build's schema, and refused with the file named
// when it is not ours, is damaged, is locked or comes from a newer build; such a file is never rewritten or deleted.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../core/errors.js';
import { RESULT_MIGRATIONS, RESULT_SCHEMA_VERSION } from './resultMigrations.js';

/** Another process holding the file (a second server on one data_dir) is waited for this long, then named. */
const BUSY_TIMEOUT_MS = 5000;

export class ResultStoreError extends AppError {
  constructor(
    readonly file: string,
    message: string,
    cause?: unknown,
  ) {
    super('result_store_unusable', `${file}: ${message}`, { cause });
  }
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return 'is not a readable SQLite database (damaged, or not a results store); it was left as it is';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return `is locked by another process (waited ${BUSY_TIMEOUT_MS} ms); is a second server using the same data_dir?`;
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') return 'cannot be opened for writing (check the directory and its permissions)';
  return error instanceof Error ? error.message : String(error);
}

function migrate(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > RESULT_SCHEMA_VERSION) {
    throw new ResultStoreError(file, `was written by a newer build (schema ${version}; this build knows up to ${RESULT_SCHEMA_VERSION}); it was left as it is`);
  }
  for (const step of RESULT_MIGRATIONS.filter((migration) => migration.version > version)) {
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${step.version}`);
    })();
  }
}

export function openStoreDatabase(file: string): Database.Database {
  let db: Database.Database;
  try {
    mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new ResultStoreError(file, reasonOf(error), error);
  }
  try {
    // The first statement reads the header: a damaged file fails here, before anything is written.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, file);
  } catch (error) {
    db.close();
    throw error instanceof ResultStoreError ? error : new ResultStoreError(file, reasonOf(error), error);
  }
  return db;
}
