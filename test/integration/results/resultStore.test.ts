// The results store on real SQLite files: once per task, pages that lose nothing, retention, and files it must not
// touch (damaged, from a newer build, held by another process).
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTaskId, type RiskAssessmentResultMessage } from '../../../backend/contracts/index.js';
import { RESULT_SCHEMA_VERSION } from '../../../backend/results/resultMigrations.js';
import { openResultStore, ResultStoreError } from '../../../backend/results/resultStore.js';
import { riskResult } from '../../support/messageFixtures.js';
import { useTempDir } from '../../support/tempDir.js';

function resultOf(cameraId: string, frameMs: number, groupId: string): RiskAssessmentResultMessage {
  const frameId = `${frameMs}-1`;
  return { ...riskResult(), camera_id: cameraId, frame_id: frameId, group_id: groupId, task_id: createTaskId(cameraId, frameId, groupId), captured_at_ms: frameMs, assessed_at_ms: frameMs + 900 };
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('results > store', () => {
  const temp = useTempDir();

  it('stores a task once however often its result is replayed, also across a reopen', () => {
    const file = temp.path('data/results.sqlite');
    const store = openResultStore(file);
    const result = resultOf('cam-1', 1_700_000_000_000, 'g1');
    expect(store.insert(result, 1000)).toBe(true);
    expect(store.insert(result, 2000)).toBe(false);
    expect(store.insert({ ...result, risk_level: 'low' }, 3000)).toBe(false);
    store.close();

    const reopened = openResultStore(file);
    expect(reopened.insert(result, 4000)).toBe(false);
    expect(reopened.count()).toBe(1);
    const [stored] = reopened.byCamera('cam-1').results;
    // The first delivery is what stays: a replay never rewrites history operators have seen.
    expect(stored).toEqual({ result, storedAtMs: 1000 });
    reopened.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(RESULT_SCHEMA_VERSION);
    db.close();
  });

  it('pages a camera newest first without losing the groups of one frame at a page edge', () => {
    const store = openResultStore(temp.path('results.sqlite'));
    const frames = [1_700_000_000_000, 1_700_000_001_000, 1_700_000_002_000];
    for (const frame of frames) for (const group of ['g1', 'g2', 'g3']) store.insert(resultOf('cam-1', frame, group), frame);
    store.insert(resultOf('cam-2', frames[0]!, 'g1'), frames[0]!);

    const seen: RiskAssessmentResultMessage[] = [];
    let page = store.byCamera('cam-1', { limit: 2 });
    seen.push(...page.results.map((stored) => stored.result));
    while (page.next) {
      page = store.byCamera('cam-1', { limit: 2, before: page.next });
      seen.push(...page.results.map((stored) => stored.result));
    }
    expect(seen).toHaveLength(9);
    expect(new Set(seen.map((result) => result.task_id)).size).toBe(9);
    expect(seen.every((result) => result.camera_id === 'cam-1')).toBe(true);
    const times = seen.map((result) => result.captured_at_ms);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(store.byCamera('cam-unknown')).toEqual({ results: [], next: null });
    store.close();
  });

  it('deletes by the age of storage, and only what is older', () => {
    const store = openResultStore(temp.path('results.sqlite'));
    store.insert(resultOf('cam-1', 1_700_000_000_000, 'g1'), 1000);
    store.insert(resultOf('cam-1', 1_700_000_000_000, 'g2'), 2000);
    store.insert(resultOf('cam-1', 1_700_000_000_000, 'g3'), 3000);
    expect(store.pruneStoredBefore(2000)).toBe(1);
    expect(store.pruneStoredBefore(2000)).toBe(0);
    expect(store.byCamera('cam-1').results.map((stored) => stored.storedAtMs).sort()).toEqual([2000, 3000]);
    store.close();
  });

  it('refuses a damaged file, naming it, and leaves its bytes as they were', () => {
    const file = temp.write('results.sqlite', 'these are not the bytes of a SQLite database, but an operator may still want them back');
    const before = sha256(file);
    expect(() => openResultStore(file)).toThrowError(ResultStoreError);
    expect(() => openResultStore(file)).toThrowError(`${file}: is not a readable SQLite database`);
    expect(sha256(file)).toBe(before);
  });

  it('refuses a file from a newer build and changes nothing in it', () => {
    const file = temp.path('results.sqlite');
    openResultStore(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${RESULT_SCHEMA_VERSION + 1}`);
    db.close();
    const before = sha256(file);
    expect(() => openResultStore(file)).toThrowError(`schema ${RESULT_SCHEMA_VERSION + 1}; this build knows up to ${RESULT_SCHEMA_VERSION}`);
    expect(sha256(file)).toBe(before);
  });

  it('names the file when another process holds it locked past the wait', () => {
    const file = temp.path('results.sqlite');
    openResultStore(file).close();
    // An exclusive lock (as a backup tool or a second server's migration would hold it).
    const holder = new Database(file);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      expect(() => openResultStore(file)).toThrowError(/is locked by another process/);
    } finally {
      holder.exec('COMMIT');
      holder.close();
    }
    const store = openResultStore(file);
    expect(store.count()).toBe(0);
    store.close();
  });

  it('says so when the directory cannot be written', () => {
    const blocker = temp.write('not-a-dir', 'a file where the data directory should be');
    expect(() => openResultStore(`${blocker}/results.sqlite`)).toThrowError(ResultStoreError);
  });
});
