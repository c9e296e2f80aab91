// The alert feed's filter bar: camera, lowest level, risk type, state.
import { ALERT_STATES, RISK_LEVELS, type AlertView } from '../../../backend/contracts/index.js';
import { filterChoices, type AlertFilter } from '../state/alertFilter.js';
import { useT } from '../state/uiStore.js';

const orNull = <T extends string>(value: string): T | null => (value === '' ? null : (value as T));

export function AlertFilters({ alerts, filter, onChange }: { alerts: readonly AlertView[]; filter: AlertFilter; onChange(filter: AlertFilter): void }): React.JSX.Element {
  const t = useT();
  const choices = filterChoices(alerts);
  return (
    <div className="alert-filters" data-testid="alert-filters">
      <label>
        {t('alerts.filterCamera')}{' '}
        <select data-testid="filter-camera" value={filter.camera ?? ''} onChange={(event) => onChange({ ...filter, camera: orNull(event.target.value) })}>
          <option value="">{t('alerts.all')}</option>
          {choices.cameras.map((camera) => (
            <option key={camera} value={camera}>
              {camera}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('alerts.filterLevel')}{' '}
        <select data-testid="filter-level" value={filter.minLevel ?? ''} onChange={(event) => onChange({ ...filter, minLevel: orNull(event.target.value) })}>
          <option value="">{t('alerts.all')}</option>
          {RISK_LEVELS.filter((level) => level !== 'none').map((level) => (
            <option key={level} value={level}>
              {t(`level.${level}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('alerts.filterType')}{' '}
        <select data-testid="filter-type" value={filter.riskType ?? ''} onChange={(event) => onChange({ ...filter, riskType: orNull(event.target.value) })}>
          <option value="">{t('alerts.all')}</option>
          {choices.riskTypes.map((type) => (
            <option key={type} value={type}>
              {t(`risk.${type}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('alerts.filterState')}{' '}
        <select data-testid="filter-state" value={filter.state ?? ''} onChange={(event) => onChange({ ...filter, state: orNull(event.target.value) })}>
          <option value="">{t('alerts.all')}</option>
          <option value="open">{t('alerts.open')}</option>
          {ALERT_STATES.map((state) => (
            <option key={state} value={state}>
              {t(`state.${state}`)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
