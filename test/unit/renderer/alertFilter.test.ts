// The alert feed's filters and the choices they offer.
import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../backend/contracts/index.js';
import { filterChoices, matchesFilter, NO_FILTER } from '../../../renderer/src/state/alertFilter.js';

const alert = (id: number, fields: Partial<AlertView>): AlertView => ({
  id, kind: 'risk', rule: 'high-risk', camera_id: 'cam-1', subject: 'cam-1', region: null, state: 'new', level: 'high', risk_types: ['pedestrian_conflict'],
  summary: '', last_task_id: null, count: 1, first_seen_ms: 1, last_seen_ms: 1, snoozed_until_ms: null, owner: null, updated_ms: 1, ...fields,
});

const alerts = [
  alert(1, {}),
  alert(2, { camera_id: 'cam-2', level: 'critical', risk_types: ['collision', 'vehicle_conflict'], state: 'acknowledged' }),
  alert(3, { level: 'medium', state: 'resolved', risk_types: ['congestion'] }),
  alert(4, { kind: 'system', camera_id: null, subject: 'lag', level: 'high', risk_types: [], state: 'snoozed' }),
];
const ids = (filter: Partial<typeof NO_FILTER>): number[] => alerts.filter((entry) => matchesFilter(entry, { ...NO_FILTER, ...filter })).map((entry) => entry.id);

describe('renderer > alert filters', () => {
  it('filters by camera, lowest level, risk type and state, together', () => {
    expect(ids({})).toEqual([1, 2, 3, 4]);
    expect(ids({ camera: 'cam-1' })).toEqual([1, 3]);
    expect(ids({ minLevel: 'high' })).toEqual([1, 2, 4]);
    expect(ids({ minLevel: 'critical' })).toEqual([2]);
    expect(ids({ riskType: 'collision' })).toEqual([2]);
    expect(ids({ state: 'open' })).toEqual([1, 2, 4]);
    expect(ids({ state: 'resolved' })).toEqual([3]);
    expect(ids({ camera: 'cam-1', state: 'open', minLevel: 'medium' })).toEqual([1]);
  });

  it('offers the cameras and risk types present, sorted, without system subjects', () => {
    expect(filterChoices(alerts)).toEqual({ cameras: ['cam-1', 'cam-2'], riskTypes: ['collision', 'congestion', 'pedestrian_conflict', 'vehicle_conflict'] });
  });
});
