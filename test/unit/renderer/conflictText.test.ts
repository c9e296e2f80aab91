// The alert detail's line of conflict measures, in both languages and both units.
import { describe, expect, it } from 'vitest';
import { translate } from '../../../renderer/src/i18n/messages.js';
import { conflictText, type ResultConflict } from '../../../renderer/src/state/conflictText.js';

const pair = { track_ids: [3, 7] as [number, number], classes: ['person', 'car'] as [string, string], kind: 'person_vehicle' as const, ttc_s: 1.2, closing_speed: 11.1, min_separation: 0, min_separation_in_s: 1.2, pet_s: null, speeds: [1.1, 10] as [number, number], speed_difference: 11.1, track_age_frames: [6, 6] as [number, number], confident: true };
const calibrated: ResultConflict = { calibrated: true, min_ttc_s: 1.2, min_ttc_pair: { track_ids: [3, 7], classes: ['person', 'car'] }, min_pet_s: null, pair };

describe('renderer > conflictText', () => {
  it('says who, the time to collision and the closing speed in km/h on a calibrated camera', () => {
    expect(conflictText(calibrated, (key) => translate('zh-CN', key))).toBe('行人与车辆 TTC 1.2 s · 接近速度 40 km/h');
    expect(conflictText(calibrated, (key) => translate('en', key))).toBe('Person and vehicle TTC 1.2 s · closing at 40 km/h');
  });

  it('keeps pixels per second and says so without a calibration; shows a PET alone', () => {
    const uncalibrated: ResultConflict = { ...calibrated, calibrated: false, min_ttc_s: null, min_ttc_pair: null, min_pet_s: 0.8, pair: { ...pair, ttc_s: null, closing_speed: 85.4, classes: ['car', 'truck'], kind: 'vehicle_vehicle' } };
    expect(conflictText(uncalibrated, (key) => translate('zh-CN', key))).toBe('车辆之间 PET 0.8 s · 接近速度 85 px/s (未标定，按画面像素)');
  });

  it('shows nothing without a measure', () => {
    expect(conflictText({ ...calibrated, min_ttc_s: null, min_ttc_pair: null }, (key) => translate('en', key))).toBeNull();
  });
});
