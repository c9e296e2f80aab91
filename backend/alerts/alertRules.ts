// Which alert rule a verdict matches: the first in config order whose level, types, cameras and hours all fit.
import { RISK_LEVELS, type RiskAssessmentResultMessage } from '../contracts/index.js';
import type { AlertRule } from '../config/index.js';

export function hourIn(timeZone: string, epochMs: number): number {
  // hourCycle h23: midnight is 0, never 24.
  const text = new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(epochMs);
  return Number(text);
}

function inHours(hours: NonNullable<AlertRule['hours']>, hour: number): boolean {
  return hours.from < hours.to ? hour >= hours.from && hour < hours.to : hour >= hours.from || hour < hours.to;
}

export function matchingRule(result: RiskAssessmentResultMessage, rules: readonly AlertRule[], timeZone: string): AlertRule | null {
  const level = RISK_LEVELS.indexOf(result.risk_level);
  for (const rule of rules) {
    if (level < RISK_LEVELS.indexOf(rule.min_risk_level)) continue;
    if (rule.risk_types.length > 0 && !rule.risk_types.some((type) => result.risk_types.includes(type))) continue;
    if (rule.cameras.length > 0 && !rule.cameras.includes(result.camera_id)) continue;
    if (rule.hours !== null && !inHours(rule.hours, hourIn(timeZone, result.captured_at_ms))) continue;
    return rule;
  }
  return null;
}
