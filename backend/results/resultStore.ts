// Every verdict in the results store, once per task: a replayed or duplicated message finds its task_id stored and
// changes nothing. The same file holds the alerts (alertStore.ts).
import type { RiskAssessmentResultMessage } from '../contracts/index.js';
import { createAlertStore, type AlertStore } from './alertStore.js';
import { openStoreDatabase } from './storeDatabase.js';

export { ResultStoreError } from './storeDatabase.js';

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
  /** The alerts kept in the same file. */
  readonly alerts: AlertStore;
  /** Stores `result` unless its task is stored already; true when it was new. Its crop is kept only with `keepCrop`. */
  insert(result: RiskAssessmentResultMessage, storedAtMs: number, keepCrop?: boolean): boolean;
  /** Runs `work` in one transaction: a verdict and the alert it raised are stored together or not at all. */
  atomically<T>(work: () => T): T;
  get(taskId: string): StoredResult | null;
  /** The JPEG of a stored verdict's crop; null when it was not kept or is past its retention. */
  crop(taskId: string): Buffer | null;
  /** A camera's results, newest first, after the cursor of the page before (default: from the newest). */
  byCamera(cameraId: string, options?: { limit?: number; before?: ResultCursor }): ResultPage;
  /** Results in the order stored, after position `after` (0: from the first); `position` is what to pass next. */
  storedAfter(after: number, limit: number): { position: number; results: StoredResult[] };
  /** The position of the latest stored result (where a live feed starts). */
  lastPosition(): number;
  count(): number;
  /** Deletes results stored before `cutoffMs` (and their crops); returns how many. */
  pruneStoredBefore(cutoffMs: number): number;
  /** Deletes the crops of results stored before `cutoffMs`, keeping the results; returns how many. */
  pruneCropsStoredBefore(cutoffMs: number): number;
  close(): void;
}

interface ResultRow {
  message: string;
  stored_at_ms: number;
  captured_at_ms: number;
  task_id: string;
}

export function openResultStore(file: string): ResultStore {
  const db = openStoreDatabase(file);
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
  const insertCrop = db.prepare('INSERT INTO result_crops (task_id, jpeg) VALUES (?, ?) ON CONFLICT (task_id) DO NOTHING');
  const getResult = db.prepare<[string], ResultRow>('SELECT message, stored_at_ms, captured_at_ms, task_id FROM results WHERE task_id = ?');
  const getCrop = db.prepare<[string], { jpeg: Buffer }>('SELECT jpeg FROM result_crops WHERE task_id = ?');
  const pruneCrops = db.prepare('DELETE FROM result_crops WHERE task_id IN (SELECT task_id FROM results WHERE stored_at_ms < ?)');
  const storedAfter = db.prepare<[number, number], ResultRow & { position: number }>(
    'SELECT rowid AS position, message, stored_at_ms, captured_at_ms, task_id FROM results WHERE rowid > ? ORDER BY rowid LIMIT ?',
  );
  const lastPosition = db.prepare<[], { position: number | null }>('SELECT MAX(rowid) AS position FROM results');
  const alerts = createAlertStore(db);
  const stored = (row: ResultRow): StoredResult => ({ result: JSON.parse(row.message) as RiskAssessmentResultMessage, storedAtMs: row.stored_at_ms });

  return {
    file,
    alerts,
    insert(result, storedAtMs, keepCrop = false) {
      const { task_id, camera_id, frame_id, group_id, captured_at_ms, assessed_at_ms, status, risk_level, risk_score, crop_jpeg_b64 } = result;
      // The crop is the bulk of a verdict: kept apart, and only for verdicts worth a picture.
      const message = JSON.stringify({ ...result, crop_jpeg_b64: null });
      return db.transaction(() => {
        const info = insert.run({ task_id, camera_id, frame_id, group_id, captured_at_ms, assessed_at_ms, stored_at_ms: storedAtMs, status, risk_level, risk_score, message });
        if (info.changes === 1 && keepCrop && crop_jpeg_b64 !== null) insertCrop.run(task_id, Buffer.from(crop_jpeg_b64, 'base64'));
        return info.changes === 1;
      })();
    },
    atomically: (work) => db.transaction(work)(),
    get(taskId) {
      const row = getResult.get(taskId);
      return row ? stored(row) : null;
    },
    crop(taskId) {
      return getCrop.get(taskId)?.jpeg ?? null;
    },
    byCamera(cameraId, options = {}) {
      const limit = Math.max(1, Math.min(1000, Math.floor(options.limit ?? 100)));
      const before = options.before ?? { capturedAtMs: Number.MAX_SAFE_INTEGER, taskId: '' };
      const rows = byCamera.all({ camera: cameraId, at: before.capturedAtMs, task: before.taskId, limit: limit + 1 });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        results: page.map(stored),
        next: rows.length > limit && last ? { capturedAtMs: last.captured_at_ms, taskId: last.task_id } : null,
      };
    },
    storedAfter(after, limit) {
      const rows = storedAfter.all(after, limit);
      return { position: rows[rows.length - 1]?.position ?? after, results: rows.map(stored) };
    },
    lastPosition: () => lastPosition.get()?.position ?? 0,
    count() {
      return count.get()!.n;
    },
    pruneStoredBefore(cutoffMs) {
      return prune.run(cutoffMs).changes;
    },
    pruneCropsStoredBefore(cutoffMs) {
      return pruneCrops.run(cutoffMs).changes;
    },
    close() {
      db.close();
    },
  };
}
