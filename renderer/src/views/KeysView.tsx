// /keys: every key by name (never its value) with its state, effective against configured rate, load and health.
import { useLiveStore } from '../state/liveStore.js';
import { useT } from '../state/uiStore.js';

export function KeysView(): React.JSX.Element {
  const t = useT();
  const pool = useLiveStore((state) => state.keyPool);
  if (!pool) return <p className="empty">{t('keys.none')}</p>;
  return (
    <section className="keys">
      <p>
        {t('keys.available')}: <strong data-testid="available-keys">{pool.available_count}</strong> / {pool.keys.length}
      </p>
      <table>
        <thead>
          <tr>
            <th>{t('keys.name')}</th>
            <th>{t('keys.state')}</th>
            <th>{t('keys.qps')}</th>
            <th>{t('keys.inFlight')}</th>
            <th>{t('keys.success')}</th>
            <th>{t('keys.latency')}</th>
          </tr>
        </thead>
        <tbody>
          {pool.keys.map((key) => (
            <tr key={key.name} data-testid="key-row" data-key={key.name} data-state={key.state} className={`key-${key.state}`}>
              <td>{key.name}</td>
              <td>
                {t(`keyState.${key.state}`)}
                {key.state === 'cooling' && ` ${Math.ceil(key.cooldown_remaining_ms / 1000)} s`}
              </td>
              <td>
                {key.effective.rate_per_second.toFixed(1)} / {key.configured.qps ?? '—'}
              </td>
              <td>{key.in_flight}</td>
              <td>{(key.success_rate * 100).toFixed(1)}%</td>
              <td>{key.avg_latency_ms === null ? '—' : `${Math.round(key.avg_latency_ms)} ms`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
