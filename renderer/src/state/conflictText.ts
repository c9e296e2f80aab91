// The line an alert detail shows for the measures its verdict rests on: "行人与车辆 TTC 1.2 s · PET 0.8 s · 接近速度
// 40 km/h". Calibrated speeds come in m/s and are shown in km/h; uncalibrated ones stay pixels per second.
import type { RiskAssessmentResultMessage } from '../../../backend/contracts/index.js';
import type { MessageKey } from '../i18n/messages.js';

export type ResultConflict = NonNullable<RiskAssessmentResultMessage['conflict']>;

/** null when there is no measure to show. */
export function conflictText(conflict: ResultConflict, t: (key: MessageKey) => string): string | null {
  if (conflict.min_ttc_s === null && conflict.min_pet_s === null) return null;
  const classes: readonly string[] = conflict.min_ttc_pair?.classes ?? conflict.pair?.classes ?? [];
  const who = classes.length === 0 ? null : classes.includes('person') ? t('alerts.pairPersonVehicle') : t('alerts.pairVehicles');
  const speed = (value: number): string => (conflict.calibrated ? `${Math.round(value * 3.6)} km/h` : `${Math.round(value)} px/s`);
  const measures = [
    conflict.min_ttc_s === null ? null : `TTC ${conflict.min_ttc_s.toFixed(1)} s`,
    conflict.min_pet_s === null ? null : `PET ${conflict.min_pet_s.toFixed(1)} s`,
    conflict.pair && conflict.pair.closing_speed > 0 ? `${t('alerts.closingSpeed')} ${speed(conflict.pair.closing_speed)}` : null,
  ].filter((part) => part !== null);
  return `${who ? `${who} ` : ''}${measures.join(' · ')}${conflict.calibrated ? '' : ` (${t('alerts.uncalibrated')})`}`;
}
