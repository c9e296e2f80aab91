// /settings: what this build shows of the configuration; editing through the gateway is not built yet.
import { useLiveStore } from '../state/liveStore.js';
import { useT } from '../state/uiStore.js';

export function SettingsView(): React.JSX.Element {
  const t = useT();
  const cameras = useLiveStore((state) => state.cameras);
  return (
    <section className="settings">
      <p className="hint">{t('settings.readOnly')}</p>
      <h2>{t('settings.cameras')}</h2>
      <ul>
        {cameras.map((camera) => (
          <li key={camera.id}>
            {camera.id} {camera.name && `· ${camera.name}`} · {t(`camera.${camera.state}`)}
          </li>
        ))}
      </ul>
    </section>
  );
}
