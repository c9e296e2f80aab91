// Which rule a verdict matches: level, types, cameras and the hours of the day in the control center's zone.
import { describe, expect, it } from 'vitest';
import { hourIn, matchingRule } from '../../../backend/alerts/alertRules.js';
import { alertRuleSchema, alertsSchema } from '../../../backend/config/index.js';
import { riskResult } from '../../support/messageFixtures.js';

const rule = (fields: Record<string, unknown>) => alertRuleSchema.parse(fields);
// 2023-11-14 22:13:20 UTC = 2023-11-15 06:13:20 in Shanghai (UTC+8).
const CAPTURED = 1_700_000_000_000;

describe('alerts > rules', () => {
  it('reads the hour of a capture in the configured zone, midnight as 0', () => {
    expect(hourIn('UTC', CAPTURED)).toBe(22);
    expect(hourIn('Asia/Shanghai', CAPTURED)).toBe(6);
    expect(hourIn('UTC', Date.UTC(2024, 0, 1, 0, 30))).toBe(0);
  });

  it('matches by level, then types, then cameras, and the first matching rule wins', () => {
    const verdict = { ...riskResult(), risk_level: 'medium' as const, risk_types: ['congestion' as const], camera_id: 'cam-7' };
    const rules = [
      rule({ name: 'critical-only', min_risk_level: 'critical' }),
      rule({ name: 'people', min_risk_level: 'low', risk_types: ['pedestrian_conflict'] }),
      rule({ name: 'other-cameras', min_risk_level: 'low', cameras: ['cam-1'] }),
      rule({ name: 'jams-on-7', min_risk_level: 'medium', risk_types: ['congestion', 'wrong_way'], cameras: ['cam-7'] }),
      rule({ name: 'anything', min_risk_level: 'none' }),
    ];
    expect(matchingRule(verdict, rules, 'UTC')?.name).toBe('jams-on-7');
    expect(matchingRule({ ...verdict, risk_level: 'low' }, rules, 'UTC')?.name).toBe('anything');
    expect(matchingRule(verdict, rules.slice(0, 3), 'UTC')).toBeNull();
  });

  it('applies hours in the zone, wrapping past midnight', () => {
    const verdict = { ...riskResult(), captured_at_ms: CAPTURED };
    const night = [rule({ name: 'night', min_risk_level: 'low', hours: { from: 22, to: 6 } })];
    const morning = [rule({ name: 'morning', min_risk_level: 'low', hours: { from: 6, to: 9 } })];
    expect(matchingRule(verdict, night, 'UTC')?.name).toBe('night');
    expect(matchingRule(verdict, night, 'Asia/Shanghai')).toBeNull();
    expect(matchingRule(verdict, morning, 'Asia/Shanghai')?.name).toBe('morning');
    expect(matchingRule(verdict, morning, 'UTC')).toBeNull();
  });

  it('refuses an empty hour range, an unknown zone and a rule name given twice in the config', () => {
    expect(alertRuleSchema.safeParse({ name: 'x', hours: { from: 5, to: 5 } }).success).toBe(false);
    expect(alertsSchema.safeParse({ timezone: 'Mars/Olympus' }).success).toBe(false);
    expect(alertsSchema.safeParse({ rules: [{ name: 'a' }, { name: 'a' }] }).error?.issues[0]?.message).toBe('duplicate rule name "a"');
  });
});
