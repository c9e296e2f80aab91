// The results role on the embedded bus and a real SQLite store: retention at start, what it reports per verdict,
// alerts raised and folded once per verdict, crops kept by level, and a clean stop with the file closed.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createBus } from '../../../backend/bus/createBus.js';
import { appConfigSchema } from '../../../backend/config/index.js';
import { createTaskId, encodeMessage, riskAssessmentResultMessage, type RiskAssessmentResultMessage } from '../../../backend/contracts/index.js';
import { openResultStore } from '../../../backend/results/resultStore.js';
import { createResultsStage } from '../../../backend/results/resultsStage.js';
import { resultsSettings } from '../../../backend/results/resultsSettings.js';
import { captureLogger, waitFor } from '../../support/busFixtures.js';
import { FakeClock } from '../../support/fakeClock.js';
import { riskResult } from '../../support/messageFixtures.js';
import { useTempDir } from '../../support/tempDir.js';

const DAY_MS = 86_400_000;
const NOW = 1_800_000_000_000;
// Only the stage reads it (storage times and the retention cutoff); the bus and the timers run on real time.
const clock = new FakeClock(NOW);

function verdict(group: string, capturedAtMs: number): RiskAssessmentResultMessage {
  return { ...riskResult(), group_id: group, task_id: createTaskId('cam-001', riskResult().frame_id, group), captured_at_ms: capturedAtMs, assessed_at_ms: capturedAtMs + 500 };
}

function encoded(result: RiskAssessmentResultMessage): { key: string; value: string } {
  const message = encodeMessage(riskAssessmentResultMessage, result);
  if (!message.ok) throw new Error(message.error.message);
  return { key: result.camera_id, value: message.value };
}

describe('results > stage (embedded bus)', () => {
  const temp = useTempDir();

  it('raises an alert for a verdict its rule matches, folds a redelivered or repeated one once, and keeps crops from the configured level', async () => {
    const config = appConfigSchema.parse({ data_dir: temp.path('data'), alerts: { rules: [{ name: 'high-risk', min_risk_level: 'high' }] }, results: { crop_min_risk_level: 'high' } });
    const settings = resultsSettings(config);
    const bus = createBus(config, captureLogger().logger);
    const stage = createResultsStage(bus, settings, clock);
    const changes: string[] = [];
    let stored = 0;
    stage.events.on('alert', ({ change }) => changes.push(change));
    stage.events.on('stored', () => (stored += 1));
    await stage.start();
    const crop = Buffer.from('a jpeg, as far as the store cares').toString('base64');
    const high = { ...verdict('g-high', NOW - 3000), crop_jpeg_b64: crop };
    const repeat = { ...verdict('g-again', NOW - 2000), crop_jpeg_b64: crop };
    const low = { ...verdict('g-low', NOW - 1000), risk_level: 'low' as const, crop_jpeg_b64: crop };
    await bus.producer().send(settings.topic, [high, high, repeat, low].map(encoded));
    await waitFor(() => stored === 3, 10_000, 'three verdicts stored');
    await stage.stop();
    await bus.close();

    expect(changes).toEqual(['raised', 'folded']);
    const store = openResultStore(settings.file);
    expect(store.alerts.list({}).alerts).toMatchObject([{ rule: 'high-risk', camera_id: 'cam-001', count: 2, last_task_id: repeat.task_id }]);
    expect(store.crop(high.task_id)?.toString()).toBe('a jpeg, as far as the store cares');
    expect(store.crop(low.task_id)).toBeNull();
    // The crop lives beside the verdict, not inside its stored message.
    expect(store.get(high.task_id)?.result.crop_jpeg_b64).toBeNull();
    expect(store.pruneCropsStoredBefore(NOW + 1)).toBe(2);
    expect(store.crop(high.task_id)).toBeNull();
    expect(store.get(high.task_id)).not.toBeNull();
    store.close();
  });

  it('deletes results past the retention at start, stores new verdicts with their capture-to-storage latency, and stops with the file closed', async () => {
    const config = appConfigSchema.parse({ data_dir: temp.path('data'), results: { retention_days: 30 } });
    const settings = resultsSettings(config);
    expect(settings.file).toBe(temp.path('data/results.sqlite'));
    const seeded = openResultStore(settings.file);
    seeded.insert(verdict('old', NOW - 40 * DAY_MS), NOW - 40 * DAY_MS);
    seeded.insert(verdict('recent', NOW - 2 * DAY_MS), NOW - 2 * DAY_MS);
    seeded.close();

    const bus = createBus(config, captureLogger().logger);
    const stage = createResultsStage(bus, settings, clock);
    const pruned: number[] = [];
    const latencies: number[] = [];
    stage.events.on('pruned', ({ count }) => pruned.push(count));
    stage.events.on('stored', ({ capture_to_stored_ms }) => latencies.push(capture_to_stored_ms));
    await stage.start();
    expect(pruned).toEqual([1]);
    const message = encodeMessage(riskAssessmentResultMessage, verdict('new', NOW - 1500));
    if (!message.ok) throw new Error(message.error.message);
    await bus.producer().send(settings.topic, [{ key: 'cam-001', value: message.value }]);
    await waitFor(() => latencies.length === 1, 10_000, 'the new verdict stored');
    expect(latencies).toEqual([1500]);
    await stage.stop();
    expect(stage.store()).toBeNull();
    await bus.close();

    const store = openResultStore(settings.file);
    expect(store.byCamera('cam-001').results.map((stored) => stored.result.group_id).sort()).toEqual(['new', 'recent']);
    store.close();
  });

  it('keeps running when a retention check meets a lock another program holds, and goes on storing', async () => {
    const config = appConfigSchema.parse({ data_dir: temp.path('data') });
    const settings = { ...resultsSettings(config), pruneEveryMs: 100 };
    const bus = createBus(config, captureLogger().logger);
    const stage = createResultsStage(bus, settings, clock);
    const failures: string[] = [];
    stage.events.on('prune_failed', ({ error }) => failures.push(error));
    await stage.start();
    const holder = new Database(settings.file);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      await waitFor(() => failures.length > 0, 15_000, 'a failed retention check');
    } finally {
      holder.exec('COMMIT');
      holder.close();
    }
    expect(failures[0]).toMatch(/locked/);
    // Still storing: the timer's failure reached neither the process nor the subscription.
    const message = encodeMessage(riskAssessmentResultMessage, verdict('after-lock', NOW - 100));
    if (!message.ok) throw new Error(message.error.message);
    await bus.producer().send(settings.topic, [{ key: 'cam-001', value: message.value }]);
    await waitFor(() => (stage.store()?.count() ?? 0) === 1, 15_000, 'the verdict stored after the lock');
    await stage.stop();
    await bus.close();
  }, 40_000);
});
