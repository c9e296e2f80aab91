// The control room shell: connects to the gateway with the session's token (or shows the login), keeps the
// stream open, and shows the view named by the path with the connection's state always in sight.
import { useEffect, useMemo, useRef, useState } from 'react';
import { createGatewayClient, Unauthorized, type GatewayClient } from './api/gatewayClient.js';
import { forgetToken, loadSession, type Session } from './api/session.js';
import { LOCALES, type Locale } from './i18n/messages.js';
import { playCriticalCue } from './sound/criticalCue.js';
import { connectStream, useLiveStore } from './state/liveStore.js';
import { VIEWS, useT, useUiStore } from './state/uiStore.js';
import { AlertsView } from './views/AlertsView.js';
import { KeysView } from './views/KeysView.js';
import { LoginView } from './views/LoginView.js';
import { PipelineView } from './views/PipelineView.js';
import { SettingsView } from './views/SettingsView.js';
import { WallView } from './views/WallView.js';

type Access = 'checking' | 'granted' | 'none' | 'refused' | 'expired';

/** Sounds the cue once for each critical alert raised while the page is open, unless muted. */
function useCriticalCue(): void {
  const cues = useLiveStore((state) => state.criticalCues);
  const muted = useUiStore((state) => state.muted);
  const heard = useRef(cues);
  useEffect(() => {
    if (cues > heard.current && !muted) void playCriticalCue();
    heard.current = cues;
  }, [cues, muted]);
}

function ViewFor({ client }: { client: GatewayClient }): React.JSX.Element {
  const view = useUiStore((state) => state.view);
  if (view === 'alerts') return <AlertsView client={client} />;
  if (view === 'pipeline') return <PipelineView />;
  if (view === 'keys') return <KeysView />;
  if (view === 'settings') return <SettingsView client={client} />;
  return <WallView client={client} />;
}

export function App(): React.JSX.Element {
  const t = useT();
  const { locale, view, setLocale, setView } = useUiStore();
  const connection = useLiveStore((state) => state.connection);
  const [session, setSession] = useState<Session | null>(null);
  const [access, setAccess] = useState<Access>('checking');
  const client = useMemo(() => (session ? createGatewayClient(session) : null), [session]);
  useCriticalCue();

  useEffect(() => {
    void loadSession().then(setSession);
    const onPop = (): void => useUiStore.getState().followPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    if (!client) return;
    if (!client.token) return setAccess('none');
    let stop: (() => void) | null = null;
    // One authenticated request first: a wrong token shows the login, not a stream that keeps failing.
    client.get('/api/cameras').then(
      () => {
        setAccess('granted');
        stop = connectStream(client, () => {
          forgetToken();
          useLiveStore.getState().reset();
          setAccess('expired');
        });
      },
      (error: unknown) => {
        if (error instanceof Unauthorized) {
          forgetToken();
          setAccess('refused');
        } else setAccess('granted');
      },
    );
    return () => stop?.();
  }, [client]);

  return (
    <div className="app">
      <header>
        <h1>{t('app.title')}</h1>
        {access === 'granted' && (
          <nav>
            {VIEWS.map((name) => (
              <button key={name} type="button" aria-pressed={view === name} data-testid={`nav-${name}`} onClick={() => setView(name)}>
                {t(`nav.${name}`)}
              </button>
            ))}
          </nav>
        )}
        <span className={`connection connection-${connection}`} data-testid="connection" data-state={connection}>
          {t(`connection.${access === 'refused' || access === 'expired' ? 'unauthorized' : connection}`)}
        </span>
        <label>
          {t('app.language')}{' '}
          <select data-testid="language" value={locale} onChange={(event) => setLocale(event.target.value as Locale)}>
            {LOCALES.map((option) => (
              <option key={option} value={option}>
                {option === 'zh-CN' ? '简体中文' : 'English'}
              </option>
            ))}
          </select>
        </label>
      </header>
      <main aria-live="polite">
        {access === 'checking' && <p>{t('common.loading')}</p>}
        {(access === 'none' || access === 'refused' || access === 'expired') && <LoginView refused={access === 'refused'} expired={access === 'expired'} />}
        {access === 'granted' && client && <ViewFor client={client} />}
      </main>
    </div>
  );
}
