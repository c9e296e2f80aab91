// The embedded bus's SQLite file: one append-only log table, committed positions per consumer group, retention.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../core/errors.js';
import type { BusOutput } from '../bus.js';
import { keyBuffer } from '../messageKey.js';

export class EmbeddedBusError extends AppError {}

export interface StoredRecord {
  id: number;
  key: Buffer | null;
  value: Buffer;
  ts: number;
}

/** Keys are stored as BLOBs, byte for byte; files written before keys were bytes hold them as UTF-8 TEXT. */
interface StoredRow extends Omit<StoredRecord, 'key'> {
  key: Buffer | string | null;
}

/** SQLite failures an operator can act on, said plainly; anything else keeps SQLite's own words. */
export function toEmbeddedBusError(error: unknown, path: string, action: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code ?? '';
  const hint: Record<string, string> = {
    SQLITE_FULL: 'the disk is full',
    SQLITE_READONLY: 'the file or its folder is read-only',
    SQLITE_CANTOPEN: 'the file cannot be opened (missing folder or no permission)',
    SQLITE_IOERR: 'the disk reported an I/O error',
    SQLITE_CORRUPT: 'the file is corrupt',
    SQLITE_NOTADB: 'the file is not an SQLite database',
  };
  const reason = Object.entries(hint).find(([prefix]) => code.startsWith(prefix))?.[1] ?? (error instanceof Error ? error.message : String(error));
  return new EmbeddedBusError('embedded_bus_failed', `embedded bus ${path}: ${action}: ${reason}`, { retriable: code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_FULL'), cause: error });
}

export class EmbeddedStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, Buffer | null, Buffer, number]>;
  private readonly fetch: Database.Statement<[string, number, number], StoredRow>;
  private readonly committedStatement: Database.Statement<[string, string], { last_id: number }>;
  private readonly commitStatement: Database.Statement<[string, string, number]>;
  private readonly countAfterStatement: Database.Statement<[string, number], { n: number }>;
  private readonly lastIdStatement: Database.Statement<[string], { id: number | null }>;

  constructor(readonly path: string) {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      // FULL: a committed message or offset survives a power cut too, not only a process crash.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS messages (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          topic TEXT NOT NULL,
          key TEXT,
          value BLOB NOT NULL,
          ts INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS messages_by_topic ON messages (topic, id);
        CREATE INDEX IF NOT EXISTS messages_by_time ON messages (ts);
        CREATE TABLE IF NOT EXISTS group_positions (
          grp TEXT NOT NULL,
          topic TEXT NOT NULL,
          last_id INTEGER NOT NULL,
          PRIMARY KEY (grp, topic)
        );
      `);
    } catch (error) {
      throw toEmbeddedBusError(error, path, 'cannot open');
    }
    this.insert = this.db.prepare('INSERT INTO messages (topic, key, value, ts) VALUES (?, ?, ?, ?)');
    this.fetch = this.db.prepare('SELECT id, key, value, ts FROM messages WHERE topic = ? AND id > ? ORDER BY id LIMIT ?');
    this.committedStatement = this.db.prepare('SELECT last_id FROM group_positions WHERE grp = ? AND topic = ?');
    this.countAfterStatement = this.db.prepare('SELECT COUNT(*) AS n FROM messages WHERE topic = ? AND id > ?');
    this.lastIdStatement = this.db.prepare('SELECT MAX(id) AS id FROM messages WHERE topic = ?');
    this.commitStatement = this.db.prepare(
      'INSERT INTO group_positions (grp, topic, last_id) VALUES (?, ?, ?) ON CONFLICT (grp, topic) DO UPDATE SET last_id = MAX(last_id, excluded.last_id)',
    );
  }

  private guard<T>(action: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw toEmbeddedBusError(error, this.path, action);
    }
  }

  append(outputs: readonly BusOutput[], nowMs: number): void {
    this.guard('cannot append', () => this.db.transaction(() => this.appendAll(outputs, nowMs))());
  }

  private appendAll(outputs: readonly BusOutput[], nowMs: number): void {
    for (const output of outputs) this.insert.run(output.topic, keyBuffer(output.key), Buffer.from(output.value, 'utf8'), nowMs);
  }

  read(topic: string, afterId: number, limit: number): StoredRecord[] {
    const rows = this.guard('cannot read', () => this.fetch.all(topic, afterId, limit));
    return rows.map((row) => ({ ...row, key: typeof row.key === 'string' ? Buffer.from(row.key, 'utf8') : row.key }));
  }

  committed(group: string, topic: string): number | null {
    return this.guard('cannot read positions', () => this.committedStatement.get(group, topic)?.last_id ?? null);
  }

  /** Appends a stage's outputs and moves its group's position in one transaction: exactly once. */
  commit(group: string, topic: string, lastId: number, outputs: readonly BusOutput[], nowMs: number): void {
    this.guard('cannot commit', () =>
      this.db.transaction(() => {
        this.appendAll(outputs, nowMs);
        this.commitStatement.run(group, topic, lastId);
      })(),
    );
  }

  /** Messages of `topic` after `afterId`: the group's lag. */
  countAfter(topic: string, afterId: number): number {
    return this.guard('cannot count', () => this.countAfterStatement.get(topic, afterId)?.n ?? 0);
  }

  lastId(topic: string): number {
    return this.guard('cannot read', () => this.lastIdStatement.get(topic)?.id ?? 0);
  }

  /** Deletes messages older than the retention, then the oldest until the log's payload fits in maxBytes. */
  enforceRetention(olderThanMs: number, maxBytes: number): number {
    return this.guard('cannot apply retention', () => {
      let deleted = this.db.prepare('DELETE FROM messages WHERE ts < ?').run(olderThanMs).changes;
      const total = (this.db.prepare('SELECT TOTAL(LENGTH(value)) AS bytes FROM messages').get() as { bytes: number }).bytes;
      if (total > maxBytes) {
        let excess = total - maxBytes;
        const oldest = this.db.prepare('SELECT id, LENGTH(value) AS bytes FROM messages ORDER BY id').iterate() as IterableIterator<{ id: number; bytes: number }>;
        let cutoff = 0;
        for (const row of oldest) {
          cutoff = row.id;
          excess -= row.bytes;
          if (excess <= 0) break;
        }
        deleted += this.db.prepare('DELETE FROM messages WHERE id <= ?').run(cutoff).changes;
      }
      return deleted;
    });
  }

  close(): void {
    this.db.close();
  }
}
