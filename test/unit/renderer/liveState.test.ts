// The renderer's live state: what each stream message does, bounded lists, and alert ordering.
import { describe, expect, it } from 'vitest';
import type { AlertView, StreamMessage } from '../../../backend/contracts/index.js';
import { applyMessage, initialLiveState, MAX_PIPELINE_SAMPLES, MAX_RESULTS, sortedAlerts, withAlerts } from '../../../renderer/src/state/liveState.js';
import { riskResult } from '../../support/messageFixtures.js';

const alert = (id: number, fields: Partial<AlertView> = {}): AlertView => ({
  id,
  kind: 'risk',
  rule: 'high-risk',
  camera_id: 'cam-1',
  subject: 'cam-1',
  region: [0, 0, 10, 10],
  state: 'new',
  level: 'high',
  risk_types: [],
  summary: '',
  last_task_id: null,
  count: 1,
  first_seen_ms: id,
  last_seen_ms: id,
  snoozed_until_ms: null,
  owner: null,
  updated_ms: id,
  ...fields,
});
const change = (seq: number, value: AlertView): StreamMessage => ({ type: 'alert', event: { seq, alert_id: value.id, at_ms: seq, actor: 'system', action: 'raised', from_state: null, to_state: value.state, comment: null }, alert: value });
const fold = (messages: StreamMessage[]) => messages.reduce(applyMessage, initialLiveState);

describe('renderer > live state', () => {
  it('keeps each alert as its latest change says, and the last change number for a resume', () => {
    const state = fold([change(1, alert(1)), change(2, alert(2)), change(3, alert(1, { state: 'acknowledged', count: 3 }))]);
    expect(state.alerts[1]).toMatchObject({ state: 'acknowledged', count: 3 });
    expect(state.lastAlertSeq).toBe(3);
    // Changes replayed out of order after a reconnect never move the resume point back.
    expect(applyMessage(state, change(2, alert(2))).lastAlertSeq).toBe(3);
  });

  it('shows open alerts before closed ones, each newest first', () => {
    const state = fold([change(1, alert(1, { last_seen_ms: 50 })), change(2, alert(2, { last_seen_ms: 90, state: 'resolved' })), change(3, alert(3, { last_seen_ms: 10 }))]);
    expect(sortedAlerts(state.alerts).map((entry) => entry.id)).toEqual([1, 3, 2]);
  });

  it('keeps one result per task, newest first and bounded, and the latest thumbnail per camera', () => {
    const results = Array.from({ length: MAX_RESULTS + 5 }, (_, i): StreamMessage => ({ type: 'result', result: { ...riskResult(), task_id: `t-${i}` } }));
    const state = fold([...results, results[3]!]);
    expect(state.results).toHaveLength(MAX_RESULTS);
    expect(state.results[0]!.task_id).toBe('t-3');
    expect(state.results.filter((result) => result.task_id === 't-3')).toHaveLength(1);
    const thumbnail = (at: number): StreamMessage => ({ type: 'thumbnail', camera_id: 'cam-1', captured_at_ms: at, frame_width: 10, frame_height: 10, jpeg_b64: null, detections: [], groups: [] });
    expect(fold([thumbnail(20), thumbnail(10)]).thumbnails['cam-1']!.captured_at_ms).toBe(20);
  });

  it('keeps the last five minutes of pipeline samples, and a resync asks for the list to be reloaded', () => {
    const sample = (at: number): StreamMessage => ({ type: 'pipeline', sample: { at_ms: at, lag: [], consumer_rate: [], throughput_per_s: 0, error_rate: 0, latency_ms: { p50: null, p95: null, p99: null }, dead_letters: [], recent_dead_letters: [] } });
    const state = fold([...Array.from({ length: MAX_PIPELINE_SAMPLES + 10 }, (_, i) => sample(i)), { type: 'resync', reason: 'x' }]);
    expect(state.pipeline).toHaveLength(MAX_PIPELINE_SAMPLES);
    expect(state.pipeline[0]!.at_ms).toBe(10);
    expect(state.needsReload).toBe(true);
    const reloaded = withAlerts(state, [alert(7)]);
    expect([reloaded.needsReload, Object.keys(reloaded.alerts)]).toEqual([false, ['7']]);
  });

  it('sounds once per critical alert raised or resurfaced, not for a replay, a fold or a lower level', () => {
    const critical = alert(7, { level: 'critical' });
    const at = (seq: number, action: 'raised' | 'folded' | 'resurfaced', value: AlertView): StreamMessage => {
      const message = change(seq, value) as Extract<StreamMessage, { type: 'alert' }>;
      return { ...message, event: { ...message.event, action } };
    };
    const state = fold([at(1, 'raised', critical), at(2, 'folded', critical), at(3, 'raised', alert(8)), at(4, 'resurfaced', critical)]);
    expect(state.criticalCues).toBe(2);
    // The stream replays changes from ?since= after a reconnect: seen ones stay silent.
    expect(applyMessage(state, at(4, 'resurfaced', critical)).criticalCues).toBe(2);
  });

  it('keeps each local camera\'s frame counters across snapshots for the skipped-frames warning', () => {
    const camera = (read: number | null, skipped: number | null) => ({ id: 'cam-1', name: null, state: 'live' as const, reason: null, last_frame_ms: 1, detections: 0, groups: 0, frames_read: read, frames_skipped: skipped, decode: null, decode_note: null });
    const state = fold([{ type: 'cameras', cameras: [camera(10, 0)] }, { type: 'cameras', cameras: [camera(20, 6)] }]);
    expect(state.cameraHistory['cam-1']).toEqual([{ read: 10, skipped: 0 }, { read: 20, skipped: 6 }]);
    expect(applyMessage(state, { type: 'cameras', cameras: [camera(null, null)] }).cameraHistory).toEqual({});
  });
});
