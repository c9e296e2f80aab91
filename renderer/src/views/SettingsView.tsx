// /settings: cameras (add, edit, remove, test with one frame through the detector), Kafka brokers, key names and
// the system alert thresholds, saved into the config file through the gateway; a refused save shows each problem
// next to its field. Saved settings apply at the next start.
import { useCallback, useEffect, useState } from 'react';
import { ALERT_THRESHOLDS, type CameraTestResult, type SettingsCamera, type SettingsView as Settings } from '../../../backend/contracts/index.js';
import { RequestFailed, type GatewayClient } from '../api/gatewayClient.js';
import { formOf, newCamera, problemsAt, updateOf, type Problems, type SettingsForm } from '../state/settingsForm.js';
import { useT } from '../state/uiStore.js';
import { CameraTestView } from './CameraTestResult.js';

type Status = { kind: 'idle' } | { kind: 'saved'; file: string } | { kind: 'stale' } | { kind: 'invalid' } | { kind: 'error'; message: string };

function FieldProblems({ messages }: { messages: string[] }): React.JSX.Element | null {
  if (messages.length === 0) return null;
  return (
    <span className="problem field-problem" role="alert" data-testid="field-problem">
      {messages.join('; ')}
    </span>
  );
}

export function SettingsView({ client }: { client: GatewayClient }): React.JSX.Element {
  const t = useT();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problems>([]);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [tests, setTests] = useState<Record<number, CameraTestResult | 'running'>>({});

  const load = useCallback(() => {
    client.get<Settings>('/api/settings').then(
      (found) => {
        setSettings(found);
        setForm(formOf(found));
        setProblems([]);
        setLoadError(null);
      },
      (error: unknown) => setLoadError(error instanceof Error ? error.message : String(error)),
    );
  }, [client]);
  useEffect(load, [load]);

  if (loadError) return <p className="hint" data-testid="settings-unavailable">{loadError === 'this process was not started from a config file' ? t('settings.readOnly') : loadError}</p>;
  if (!settings || !form) return <p>{t('common.loading')}</p>;

  const setCamera = (index: number, change: Partial<SettingsCamera>): void => setForm({ ...form, cameras: form.cameras.map((camera, i) => (i === index ? { ...camera, ...change } : camera)) });
  const test = async (index: number): Promise<void> => {
    setTests((before) => ({ ...before, [index]: 'running' }));
    try {
      const result = await client.post<CameraTestResult>('/api/settings/camera-test', { url: form.cameras[index]!.url });
      setTests((before) => ({ ...before, [index]: result }));
    } catch (error) {
      setTests((before) => ({ ...before, [index]: { ok: false, reason: error instanceof Error ? error.message : null, frame_width: null, frame_height: null, jpeg_b64: null, detections: [], infer_ms: null } }));
    }
  };
  const save = async (): Promise<void> => {
    const { update, problems: local } = updateOf(form);
    setProblems(local);
    if (local.length > 0) return setStatus({ kind: 'invalid' });
    try {
      const checked = await client.post<{ problems: Problems }>('/api/settings/check', update);
      setProblems(checked.problems);
      if (checked.problems.length > 0) return setStatus({ kind: 'invalid' });
      const saved = await client.post<{ file: string; revision: string }>('/api/settings', update);
      setForm({ ...form, revision: saved.revision });
      setStatus({ kind: 'saved', file: saved.file });
    } catch (error) {
      if (error instanceof RequestFailed && error.status === 422) {
        setProblems((error.body as { problems: Problems }).problems);
        setStatus({ kind: 'invalid' });
      } else if (error instanceof RequestFailed && error.status === 409) setStatus({ kind: 'stale' });
      else setStatus({ kind: 'error', message: error instanceof Error ? error.message : t('common.error') });
    }
  };

  return (
    <section className="settings" data-testid="settings">
      <p className="hint">
        {t('settings.file')}: <code>{settings.file}</code>
      </p>
      <h2>{t('settings.cameras')}</h2>
      {form.cameras.length === 0 && <p className="empty">{t('wall.empty')}</p>}
      {form.cameras.map((camera, index) => {
        const at = (field: string): string[] => problemsAt(problems, `cameras[${index}]${field}`);
        const result = tests[index];
        return (
          <fieldset key={index} className="camera-row" data-testid="camera-row" data-camera={camera.id}>
            <label>
              {t('settings.id')} <input data-field="id" value={camera.id} onChange={(event) => setCamera(index, { id: event.target.value })} />
              <FieldProblems messages={at('.id')} />
            </label>
            <label>
              {t('settings.name')} <input data-field="name" value={camera.name} onChange={(event) => setCamera(index, { name: event.target.value })} />
              <FieldProblems messages={at('.name')} />
            </label>
            <label className="wide">
              {t('settings.url')} <input data-field="url" value={camera.url} onChange={(event) => setCamera(index, { url: event.target.value })} />
              <FieldProblems messages={at('.url')} />
            </label>
            <label>
              {t('settings.fps')} <input data-field="fps" type="number" min="0.1" step="0.1" value={camera.fps} onChange={(event) => setCamera(index, { fps: Number(event.target.value) })} />
              <FieldProblems messages={at('.fps')} />
            </label>
            <label>
              <input type="checkbox" data-field="enabled" checked={camera.enabled} onChange={(event) => setCamera(index, { enabled: event.target.checked })} /> {t('settings.enabled')}
            </label>
            <label>
              <input type="checkbox" data-field="loop" checked={camera.loop} onChange={(event) => setCamera(index, { loop: event.target.checked })} /> {t('settings.loop')}
            </label>
            <FieldProblems messages={at('')} />
            <button type="button" data-testid="camera-test-button" disabled={camera.url.trim() === '' || result === 'running'} onClick={() => void test(index)}>
              {result === 'running' ? t('settings.testing') : t('settings.test')}
            </button>
            <button type="button" onClick={() => setForm({ ...form, cameras: form.cameras.filter((_, i) => i !== index) })}>
              {t('settings.remove')}
            </button>
            {result && result !== 'running' && <CameraTestView result={result} />}
          </fieldset>
        );
      })}
      <button type="button" data-testid="add-camera" onClick={() => setForm({ ...form, cameras: [...form.cameras, newCamera(form.cameras)] })}>
        {t('settings.add')}
      </button>

      <h2>{t('settings.brokers')}</h2>
      <label className="wide">
        <input data-testid="brokers" value={form.brokers} onChange={(event) => setForm({ ...form, brokers: event.target.value })} />
        {problems.filter((problem) => problem.path.startsWith('kafka_brokers')).map((problem) => (
          <FieldProblems key={problem.path} messages={[`${problem.path}: ${problem.message}`]} />
        ))}
      </label>

      <h2>{t('settings.keys')}</h2>
      {settings.keys.length === 0 ? (
        <p className="hint">{t('settings.noKeys')}</p>
      ) : (
        <ul data-testid="key-names">
          {settings.keys.map((key) => (
            <li key={key.name}>
              {key.name} · {key.qps_limit} QPS · {key.rpm_limit} RPM
            </li>
          ))}
        </ul>
      )}

      <h2>{t('settings.thresholds')}</h2>
      <div className="thresholds">
        {ALERT_THRESHOLDS.map((name) => (
          <label key={name}>
            {t(`threshold.${name}`)}{' '}
            <input data-testid={`threshold-${name}`} value={form.thresholds[name]} onChange={(event) => setForm({ ...form, thresholds: { ...form.thresholds, [name]: event.target.value } })} />
            <FieldProblems messages={problemsAt(problems, `alert_thresholds.${name}`)} />
          </label>
        ))}
      </div>

      <div className="actions">
        <button type="button" data-testid="save-settings" onClick={() => void save()}>
          {t('settings.save')}
        </button>
        <button type="button" onClick={load}>
          {t('settings.reload')}
        </button>
        <span data-testid="settings-status" data-status={status.kind} role="status">
          {status.kind === 'saved' && `${t('settings.saved')} ${status.file}`}
          {status.kind === 'stale' && t('settings.stale')}
          {status.kind === 'invalid' && t('settings.invalid')}
          {status.kind === 'error' && status.message}
        </span>
      </div>
    </section>
  );
}
