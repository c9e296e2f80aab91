import { describe, expect, it } from 'vitest';
import { assessByRules } from '../../../backend/assess/rulesAssessor.js';
import { riskAssessmentResultMessage } from '../../../backend/contracts/index.js';
import { group, parkedCars } from '../../support/messageFixtures.js';

const RANK = ['none', 'low', 'medium', 'high', 'critical'];

describe('assess > rulesAssessor', () => {
  it('rates a person touching a fast vehicle above the same pair far apart, and names the conflict', () => {
    const close = assessByRules({ ...group, min_person_vehicle_distance_px: 2, mean_speed_px_s: 180 }, 'zh-CN');
    const far = assessByRules({ ...group, min_person_vehicle_distance_px: 600, mean_speed_px_s: 180 }, 'zh-CN');
    expect(RANK.indexOf(close.risk_level)).toBeGreaterThanOrEqual(RANK.indexOf('high'));
    expect(close.risk_types).toContain('pedestrian_conflict');
    expect(close.risk_score).toBeGreaterThan(far.risk_score);
    expect(far.risk_types).not.toContain('pedestrian_conflict');
    expect(close.description).toMatch(/[\u4e00-\u9fff]/);
  });

  it('calls many slow vehicles congestion and one parked car a stopped vehicle, in English when asked', () => {
    const jam = assessByRules(parkedCars({ members_by_class: { car: 8, bus: 1 }, density: 1.5 }), 'en');
    expect(jam.risk_types).toContain('congestion');
    expect(jam.description).toMatch(/^Rules assessment: .*congestion/);
    expect(jam.recommended_action).toMatch(/^[A-Z]/);
    const parked = assessByRules(parkedCars({ members_by_class: { car: 1 } }), 'en');
    expect(parked.risk_types).toEqual(['stopped_vehicle']);
    expect(RANK.indexOf(parked.risk_level)).toBeLessThanOrEqual(RANK.indexOf('low'));
  });

  it('calls a time to collision under the threshold critical and says it, in both languages', () => {
    const pair = { track_ids: [3, 7] as [number, number], classes: ['person', 'car'] as [string, string], kind: 'person_vehicle' as const, ttc_s: 1.2, closing_speed: 80, min_separation: 0, min_separation_in_s: 1.2, pet_s: null, speeds: [10, 70] as [number, number], speed_difference: 80, track_age_frames: [6, 6] as [number, number], confident: true };
    const conflict = { ...group, min_person_vehicle_distance_px: 300, min_ttc_s: 1.2, min_ttc_pair: { track_ids: pair.track_ids, classes: pair.classes }, conflicts: [pair] };
    const zh = assessByRules(conflict, 'zh-CN');
    expect(zh).toMatchObject({ risk_level: 'critical', risk_types: ['pedestrian_conflict'] });
    expect(zh.description).toContain('行人与车辆 TTC 1.2 s');
    expect(assessByRules(conflict, 'en').description).toContain('person and vehicle TTC 1.2 s');
    // With a stricter threshold the same pair is high, not critical.
    expect(assessByRules(conflict, 'zh-CN', 1).risk_level).toBe('high');
  });

  it('always gives what the result message can carry, whatever the features', () => {
    const extremes = [
      { ...group, min_person_vehicle_distance_px: 0, mean_speed_px_s: 1e9, density: 1e9 },
      { ...group, members_by_class: { kangaroo: 3 }, min_person_vehicle_distance_px: null },
      { ...group, region: [5, 5, 5, 5] as [number, number, number, number], min_person_vehicle_distance_px: 1e12 },
    ];
    for (const features of extremes) {
      const verdict = assessByRules(features, 'zh-CN');
      const shape = riskAssessmentResultMessage.shape;
      expect(shape.risk_level.safeParse(verdict.risk_level).success).toBe(true);
      expect(shape.risk_score.safeParse(verdict.risk_score).success).toBe(true);
      expect(shape.risk_types.safeParse(verdict.risk_types).success).toBe(true);
    }
  });
});
