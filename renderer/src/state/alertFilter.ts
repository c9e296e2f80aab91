// The alert feed's filters (camera, lowest level, risk type, state): pure, so the feed and its tests agree.
import { OPEN_ALERT_STATES, RISK_LEVELS, type AlertState, type AlertView, type RiskLevel, type RiskType } from '../../../backend/contracts/index.js';

export interface AlertFilter {
  camera: string | null;
  /** This level or above. */
  minLevel: RiskLevel | null;
  riskType: RiskType | null;
  /** `open`: new, acknowledged or snoozed. */
  state: AlertState | 'open' | null;
}

export const NO_FILTER: AlertFilter = { camera: null, minLevel: null, riskType: null, state: null };

export function matchesFilter(alert: AlertView, filter: AlertFilter): boolean {
  if (filter.camera !== null && alert.camera_id !== filter.camera) return false;
  if (filter.minLevel !== null && RISK_LEVELS.indexOf(alert.level) < RISK_LEVELS.indexOf(filter.minLevel)) return false;
  if (filter.riskType !== null && !alert.risk_types.includes(filter.riskType)) return false;
  if (filter.state === 'open') return OPEN_ALERT_STATES.includes(alert.state);
  return filter.state === null || alert.state === filter.state;
}

/** The cameras and risk types the alerts at hand have, for the filters' choices. */
export function filterChoices(alerts: readonly AlertView[]): { cameras: string[]; riskTypes: RiskType[] } {
  return {
    cameras: [...new Set(alerts.flatMap((alert) => (alert.camera_id === null ? [] : [alert.camera_id])))].sort(),
    riskTypes: [...new Set(alerts.flatMap((alert) => alert.risk_types))].sort(),
  };
}
