// Every verdict in one SQLite file (better-sqlite3, WAL), once per task: a replayed or duplicated message finds its
// task_id stored and changes nothing. A file that is not ours, is damaged, is locked or comes from a newer build
// stops start-up with the file named, and is never rewritten or deleted.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RiskAssessmentResultMessage } from '../contracts/index.js';
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

export interface StoredResult {
  result: RiskAssessmentResultMessage;
  storedAtMs: number;
}

/** Where a page ends: one frame's groups share a capture time, so the task id breaks the tie. */
export interface ResultCursor {
  capturedAtMs: number;
  taskId: string;
}

export interface ResultPage {
  /** Newest capture first. */
  results: StoredResult[];
  /** Pass as `before` for the next page; null on the last. */
  next: ResultCursor | null;
}

export interface ResultStore {
  readonly file: string;
  /** Stores `result` unless its task is stored already; true when it was new. */
  insert(result: RiskAssessmentResultMessage, storedAtMs: number): boolean;
  /** A camera's results, newest first, after the cursor of the page before (default: from the newest). */
  byCamera(cameraId: string, options?: { limit?: number; before?: ResultCursor }): ResultPage;
  count(): number;
  /** Deletes results stored before `cutoffMs`; returns how many. */
  pruneStoredBefore(cutoffMs: number): number;
  close(): void;
}

interface ResultRow {
  message: string;
  stored_at_ms: number;
  captured_at_ms: number;
  task_id: string;
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

export function openResultStore(file: string): ResultStore {
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
    migrate(db, file);
  } catch (error) {
    db.close();
    throw error instanceof ResultStoreError ? error : new ResultStoreError(file, reasonOf(error), error);
  }

  const insert = db.prepare(
    `INSERT INTO results (task_id, camera_id, frame_id, group_id, captured_at_ms, assessed_at_ms, stored_at_ms, status, risk_level, risk_score, message)
     VALUES (@task_id, @camera_id, @frame_id, @group_id, @captured_at_ms, @assessed_at_ms, @stored_at_ms, @status, @risk_level, @risk_score, @message)
     ON CONFLICT (task_id) DO NOTHING`,
  );
  const byCamera = db.prepare<{ camera: string; at: number; task: string; limit: number }, ResultRow>(
    `SELECT message, stored_at_ms, captured_at_ms, task_id FROM results
     WHERE camera_id = @camera AND (captured_at_ms < @at OR (captured_at_ms = @at AND task_id < @task))
     ORDER BY captured_at_ms DESC, task_id DESC LIMIT @limit`,
  );
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM results');
  const prune = db.prepare('DELETE FROM results WHERE stored_at_ms < ?');

  return {
    file,
    insert(result, storedAtMs) {
      const { task_id, camera_id, frame_id, group_id, captured_at_ms, assessed_at_ms, status, risk_level, risk_score } = result;
      const info = insert.run({ task_id, camera_id, frame_id, group_id, captured_at_ms, assessed_at_ms, stored_at_ms: storedAtMs, status, risk_level, risk_score, message: JSON.stringify(result) });
      return info.changes === 1;
    },
    byCamera(cameraId, options = {}) {
      const limit = Math.max(1, Math.min(1000, Math.floor(options.limit ?? 100)));
      const before = options.before ?? { capturedAtMs: Number.MAX_SAFE_INTEGER, taskId: '' };
      const rows = byCamera.all({ camera: cameraId, at: before.capturedAtMs, task: before.taskId, limit: limit + 1 });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        results: page.map((row) => ({ result: JSON.parse(row.message) as RiskAssessmentResultMessage, storedAtMs: row.stored_at_ms })),
        next: rows.length > limit && last ? { capturedAtMs: last.captured_at_ms, taskId: last.task_id } : null,
      };
    },
    count() {
      return count.get()!.n;
    },
    pruneStoredBefore(cutoffMs) {
      return prune.run(cutoffMs).changes;
    },
    close() {
      db.close();
    },
  };
}
