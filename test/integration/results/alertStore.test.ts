// Alerts in the results store on real SQLite files: folding of one place, snooze that comes back, the operators'
// lifecycle with its audit log, false-alarm counts, system alerts raised and cleared, and the change feed.
import { describe, expect, it } from 'vitest';
import { createTaskId, type RiskAssessmentResultMessage } from '../../../backend/contracts/index.js';
import { AlertActionError } from '../../../backend/results/alertStore.js';
import { openResultStore } from '../../../backend/results/resultStore.js';
import { riskResult } from '../../support/messageFixtures.js';
import { useTempDir } from '../../support/tempDir.js';

const FOLD = { windowMs: 300_000, minIou: 0.3 };
const T0 = 1_700_000_000_000;

function verdict(at: number, region: [number, number, number, number] = [100, 100, 300, 300], camera = 'cam-1'): RiskAssessmentResultMessage {
  const frame = `${at}-1`;
  return { ...riskResult(), camera_id: camera, frame_id: frame, task_id: createTaskId(camera, frame, 'g1'), region, captured_at_ms: at, assessed_at_ms: at + 500 };
}

describe('results > alerts', () => {
  const temp = useTempDir();

  it('folds repeats of one place within the window into one alert with a count and last-seen time', () => {
    const store = openResultStore(temp.path('r.sqlite'));
    const first = store.alerts.recordRisk(verdict(T0), 'high-risk', T0, FOLD);
    expect(first.change).toBe('raised');
    // A parked truck seen twenty times, the box jittering a little.
    for (let i = 1; i < 20; i++) store.alerts.recordRisk(verdict(T0 + i * 10_000, [100 + i, 100, 300 + i, 300]), 'high-risk', T0 + i * 10_000, FOLD);
    const [alert] = store.alerts.list({}).alerts;
    expect(alert).toMatchObject({ id: first.alert.id, count: 20, first_seen_ms: T0, last_seen_ms: T0 + 190_000, state: 'new', region: [119, 100, 319, 300] });
    // Another place on the camera, another camera, another rule, and the same place after the window: new alerts.
    expect(store.alerts.recordRisk(verdict(T0 + 200_000, [800, 500, 900, 600]), 'high-risk', 0, FOLD).change).toBe('raised');
    expect(store.alerts.recordRisk(verdict(T0 + 200_000, [100, 100, 300, 300], 'cam-2'), 'high-risk', 0, FOLD).change).toBe('raised');
    expect(store.alerts.recordRisk(verdict(T0 + 200_000), 'night', 0, FOLD).change).toBe('raised');
    expect(store.alerts.recordRisk(verdict(T0 + 190_000 + FOLD.windowMs + 1), 'high-risk', 0, FOLD).change).toBe('raised');
    expect(store.alerts.list({}).alerts).toHaveLength(5);
    store.close();
  });

  it('keeps the highest level folded in and the latest verdict as its summary', () => {
    const store = openResultStore(temp.path('r.sqlite'));
    store.alerts.recordRisk({ ...verdict(T0), risk_level: 'critical', description: 'first' }, 'r', 0, FOLD);
    const folded = store.alerts.recordRisk({ ...verdict(T0 + 1000), risk_level: 'high', description: 'second' }, 'r', 0, FOLD);
    expect(folded.alert).toMatchObject({ level: 'critical', summary: 'second', last_task_id: verdict(T0 + 1000).task_id });
    store.close();
  });

  it('runs acknowledge → resolve with who, when and a comment for every step, and refuses what the state does not allow', () => {
    const store = openResultStore(temp.path('r.sqlite'));
    const { alert } = store.alerts.recordRisk(verdict(T0), 'high-risk', T0, FOLD);
    store.alerts.act(alert.id, 'acknowledge', { operator: '王工', comment: '已通知现场' }, T0 + 5000);
    store.alerts.act(alert.id, 'comment', { operator: '李工', comment: '交接班' }, T0 + 6000);
    expect(() => store.alerts.act(alert.id, 'acknowledge', { operator: '李工', comment: null }, T0 + 7000)).toThrow(AlertActionError);
    store.alerts.act(alert.id, 'resolve', { operator: '李工', comment: '已处理' }, T0 + 8000);
    expect(() => store.alerts.act(alert.id, 'false_alarm', { operator: '李工', comment: null }, T0 + 9000)).toThrow(/is resolved; false_alarm is allowed from new, acknowledged, snoozed/);
    expect(() => store.alerts.act(999, 'resolve', { operator: 'x', comment: null }, 0)).toThrow(expect.objectContaining({ status: 404 }));
    const found = store.alerts.get(alert.id)!;
    expect(found.alert).toMatchObject({ state: 'resolved', owner: '王工', updated_ms: T0 + 8000 });
    expect(found.events.map(({ actor, action, from_state, to_state, comment, at_ms }) => [actor, action, from_state, to_state, comment, at_ms])).toEqual([
      ['system', 'raised', null, 'new', null, T0],
      ['王工', 'acknowledge', 'new', 'acknowledged', '已通知现场', T0 + 5000],
      ['李工', 'comment', 'acknowledged', 'acknowledged', '交接班', T0 + 6000],
      ['李工', 'resolve', 'acknowledged', 'resolved', '已处理', T0 + 8000],
    ]);
    // A closed alert folds nothing more: the place seen again is a new alert.
    expect(store.alerts.recordRisk(verdict(T0 + 9000), 'high-risk', T0 + 9000, FOLD).change).toBe('raised');
    store.close();
  });

  it('keeps a snoozed alert quiet while its snooze lasts and brings it back when the situation persists past it', () => {
    const store = openResultStore(temp.path('r.sqlite'));
    const { alert } = store.alerts.recordRisk(verdict(T0), 'high-risk', T0, FOLD);
    store.alerts.act(alert.id, 'snooze', { operator: '王工', comment: '施工车辆', snoozeUntilMs: T0 + 60_000 }, T0 + 1000);
    const during = store.alerts.recordRisk(verdict(T0 + 30_000), 'high-risk', T0 + 30_000, FOLD);
    expect(during).toMatchObject({ change: 'folded', alert: { state: 'snoozed', count: 2, snoozed_until_ms: T0 + 60_000 } });
    const after = store.alerts.recordRisk(verdict(T0 + 61_000), 'high-risk', T0 + 61_000, FOLD);
    expect(after).toMatchObject({ change: 'resurfaced', alert: { state: 'new', count: 3, snoozed_until_ms: null }, event: { action: 'resurfaced', from_state: 'snoozed', to_state: 'new' } });
    store.close();
  });

  it('counts false alarms per camera and rule, against all alerts of each', () => {
    const store = openResultStore(temp.path('r.sqlite'));
    const raise = (camera: string, rule: string, at: number) => store.alerts.recordRisk(verdict(at, [100, 100, 300, 300], camera), rule, at, FOLD).alert.id;
    const ids = [raise('cam-1', 'a', T0), raise('cam-1', 'b', T0), raise('cam-2', 'a', T0)];
    store.alerts.act(ids[0]!, 'false_alarm', { operator: 'x', comment: '树影' }, T0);
    const again = raise('cam-1', 'a', T0 + 1000);
    store.alerts.act(again, 'false_alarm', { operator: 'x', comment: null }, T0);
    store.alerts.act(ids[2]!, 'resolve', { operator: 'x', comment: null }, T0);
    expect(store.alerts.falseAlarmCounts()).toEqual([
      { camera_id: 'cam-1', rule: 'a', false_alarms: 2, alerts: 2 },
      { camera_id: 'cam-1', rule: 'b', false_alarms: 0, alerts: 1 },
      { camera_id: 'cam-2', rule: 'a', false_alarms: 0, alerts: 1 },
    ]);
    store.close();
  });

  it('raises a system alert once while its condition lasts and clears it when it is gone', () => {
    const store = openResultStore(temp.path('r.sqlite'));
    expect(store.alerts.raiseSystem('key_disabled', 'key-2', 'high', 'key-2 refused by the provider', T0)).not.toBeNull();
    expect(store.alerts.raiseSystem('key_disabled', 'key-2', 'high', 'still refused', T0 + 10_000)).toBeNull();
    expect(store.alerts.openSystem()).toMatchObject([{ rule: 'key_disabled', subject: 'key-2', count: 1, last_seen_ms: T0 + 10_000, summary: 'still refused' }]);
    const cleared = store.alerts.clearSystem('key_disabled', 'key-2', T0 + 20_000);
    expect(cleared).toMatchObject({ event: { action: 'cleared', actor: 'system', to_state: 'resolved' }, alert: { state: 'resolved' } });
    expect(store.alerts.clearSystem('key_disabled', 'key-2', T0 + 30_000)).toBeNull();
    expect(store.alerts.openSystem()).toEqual([]);
    store.close();
  });

  it('numbers every change so a reader resumes after the last one it saw, across a reopen', () => {
    const file = temp.path('r.sqlite');
    const store = openResultStore(file);
    const { alert } = store.alerts.recordRisk(verdict(T0), 'high-risk', T0, FOLD);
    const seen = store.alerts.lastSeq();
    store.alerts.recordRisk(verdict(T0 + 1000), 'high-risk', T0 + 1000, FOLD);
    store.alerts.act(alert.id, 'acknowledge', { operator: '王工', comment: null }, T0 + 2000);
    store.close();
    const reopened = openResultStore(file);
    const missed = reopened.alerts.changesSince(seen, 100);
    expect(missed.map((change) => change.event.action)).toEqual(['folded', 'acknowledge']);
    expect(missed.every((change) => change.alert.state === 'acknowledged' && change.alert.count === 2)).toBe(true);
    expect(missed[1]!.event.seq).toBe(reopened.alerts.lastSeq());
    reopened.close();
  });

  it('pages alerts by last seen with filters, and deletes only closed ones past retention', () => {
    const store = openResultStore(temp.path('r.sqlite'));
    const ids = Array.from({ length: 7 }, (_, i) => store.alerts.recordRisk(verdict(T0 + i * 1000, [i * 1000, 0, i * 1000 + 10, 10]), 'r', 0, FOLD).alert.id);
    store.alerts.act(ids[0]!, 'resolve', { operator: 'x', comment: null }, 0);
    store.alerts.act(ids[1]!, 'acknowledge', { operator: 'x', comment: null }, 0);
    const seen: number[] = [];
    let page = store.alerts.list({}, { limit: 3 });
    for (;;) {
      seen.push(...page.alerts.map((alert) => alert.id));
      if (!page.next) break;
      page = store.alerts.list({}, { limit: 3, before: page.next });
    }
    expect(seen).toEqual([...ids].reverse());
    expect(store.alerts.list({ states: ['new'] }).alerts).toHaveLength(5);
    expect(store.alerts.list({ states: ['acknowledged', 'resolved'], cameraId: 'cam-1', rule: 'r', kind: 'risk' }).alerts.map((alert) => alert.id)).toEqual([ids[1], ids[0]]);
    expect(store.alerts.pruneClosedBefore(T0 + 100_000)).toBe(1);
    expect(store.alerts.get(ids[0]!)).toBeNull();
    expect(store.alerts.list({}).alerts).toHaveLength(6);
    store.close();
  });
});
