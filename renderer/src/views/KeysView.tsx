// /keys: every key by name (never its value) with its account, state, effective against configured rate, load and
// health; and per account what its keys can send together.
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
            <th>{t('keys.account')}</th>
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
              <td>{key.account ?? '—'}</td>
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
      {pool.accounts.length > 0 && (
        <>
          <h2>{t('keys.accounts')}</h2>
          <table data-testid="account-table">
            <thead>
              <tr>
                <th>{t('keys.account')}</th>
                <th>{t('keys.keyCount')}</th>
                <th>{t('keys.rpm')}</th>
                <th>{t('keys.capacity')}</th>
              </tr>
            </thead>
            <tbody>
              {pool.accounts.map((account) => (
                <tr key={account.name} data-testid="account-row" data-account={account.name}>
                  <td>{account.name}</td>
                  <td>{account.keys}</td>
                  <td>
                    {account.effective_rpm ?? '—'} / {account.configured_rpm ?? '—'}
                  </td>
                  <td>{account.capacity_rps.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
