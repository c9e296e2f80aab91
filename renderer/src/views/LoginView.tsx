// The token login: shown when there is no token, the gateway refuses it, or it was rotated while the page was open;
// nothing else is shown without one.
import { useState } from 'react';
import { saveToken } from '../api/session.js';
import { useT } from '../state/uiStore.js';

export function LoginView({ refused, expired }: { refused: boolean; expired: boolean }): React.JSX.Element {
  const t = useT();
  const [token, setToken] = useState('');
  return (
    <form
      className="login"
      data-testid="login"
      onSubmit={(event) => {
        event.preventDefault();
        saveToken(token);
        window.location.reload();
      }}
    >
      <h2>{t('login.title')}</h2>
      <p>{t('login.hint')}</p>
      {refused && <p className="problem" role="alert">{t('login.wrong')}</p>}
      {expired && (
        <p className="problem" role="alert" data-testid="login-expired">
          {t('login.expired')}
        </p>
      )}
      <label>
        {t('login.token')} <input type="password" autoComplete="off" value={token} onChange={(event) => setToken(event.target.value)} />
      </label>
      <button type="submit">{t('login.submit')}</button>
    </form>
  );
}
