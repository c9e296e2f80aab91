// The control room shell: title, views, language switch. Views arrive with the stages that feed them.
import { LOCALES, translate, type MessageKey } from './i18n/messages.js';
import { VIEWS, useUiStore } from './state/uiStore.js';

export function App(): React.JSX.Element {
  const { locale, view, setLocale, setView } = useUiStore();
  const t = (key: MessageKey): string => translate(locale, key);
  return (
    <div className="app">
      <header>
        <h1>{t('app.title')}</h1>
        <nav>
          {VIEWS.map((name) => (
            <button key={name} type="button" aria-pressed={view === name} onClick={() => setView(name)}>
              {t(`nav.${name}`)}
            </button>
          ))}
        </nav>
        <label>
          {t('app.language')}{' '}
          <select value={locale} onChange={(event) => setLocale(event.target.value as (typeof LOCALES)[number])}>
            <option value="zh-CN">简体中文</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      <main aria-live="polite">{t('gateway.unconfigured')}</main>
    </div>
  );
}
