// A camera's current risk colour: the highest level among its alerts still being dealt with (new or acknowledged).
import { RISK_LEVELS, type AlertView, type RiskLevel } from '../../../backend/contracts/index.js';

export function currentLevels(alerts: Record<number, AlertView>): Record<string, RiskLevel> {
  const levels: Record<string, RiskLevel> = {};
  for (const alert of Object.values(alerts)) {
    if (alert.camera_id === null || (alert.state !== 'new' && alert.state !== 'acknowledged')) continue;
    const before = levels[alert.camera_id] ?? 'none';
    if (RISK_LEVELS.indexOf(alert.level) > RISK_LEVELS.indexOf(before)) levels[alert.camera_id] = alert.level;
  }
  return levels;
}
