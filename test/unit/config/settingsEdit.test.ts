// The settings the UI edits, read from and written into a config file's text: the rest of the file kept as
// written, every result checked by the start-up loader, problems named at the settings' own fields.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applySettingsUpdate, maskUrlPassword, readSettings, settingsRevision } from '../../../backend/config/settingsEdit.js';
import { appConfigSchema, parseConfigText } from '../../../backend/config/index.js';
import { ConfigError } from '../../../backend/core/errors.js';

const FILE = 'site.yaml';
const TEXT = `# 指挥中心配置
instance_id: site-1
cameras:
  - id: cam-01
    name: 人民路
    url: rtsp://viewer:\${CAM_01_PASSWORD}@192.0.2.10/stream1
    width: 640   # scaled before detection
  - id: cam-02
    name: 解放路
    url: rtsp://admin:hunter2@192.0.2.11/stream1
kafka:
  brokers: [kafka-1:9092]
alerts:
  system:
    max_consumer_lag: 500
`;
const env = { CAM_01_PASSWORD: 'secret-1' };

function problemsOf(work: () => unknown): { path: string; message: string }[] {
  try {
    work();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(({ path, message }) => ({ path, message }));
    throw error;
  }
  return [];
}

describe('config > settings edits', () => {
  it('reads cameras as written (references kept, a written password masked), brokers and thresholds with defaults', () => {
    const settings = readSettings(FILE, TEXT, env);
    expect(settings.revision).toBe(settingsRevision(TEXT));
    expect(settings.cameras.map((camera) => camera.url)).toEqual(['rtsp://viewer:${CAM_01_PASSWORD}@192.0.2.10/stream1', 'rtsp://admin:***@192.0.2.11/stream1']);
    expect(settings.cameras[0]).toMatchObject({ id: 'cam-01', name: '人民路', fps: 1, enabled: true, loop: false });
    expect(settings.kafka_brokers).toEqual(['kafka-1:9092']);
    expect(settings.alert_thresholds).toEqual({ max_consumer_lag: 500, min_available_keys: 1, min_key_success_rate: 0.95, max_p95_latency_ms: 2000, max_dead_letters_per_min: 10 });
    expect(JSON.stringify(settings)).not.toContain('hunter2');
    expect(JSON.stringify(settings)).not.toContain('secret-1');
  });

  it('adds a camera, keeps masked passwords, fields the form does not edit and the rest of the file, and the result loads', () => {
    const before = readSettings(FILE, TEXT, env);
    const next = applySettingsUpdate(
      FILE,
      TEXT,
      {
        revision: before.revision,
        cameras: [...before.cameras.map((camera) => (camera.id === 'cam-02' ? { ...camera, fps: 2 } : camera)), { id: 'gate-3', name: '东门', url: '/videos/gate3.mp4', fps: 1, enabled: true, loop: true }],
        kafka_brokers: [' kafka-1:9092 ', 'kafka-2:9092', ''],
        alert_thresholds: { max_p95_latency_ms: 2500 },
      },
      env,
    );
    expect(next).toContain('# 指挥中心配置');
    expect(next).toContain('rtsp://admin:hunter2@192.0.2.11/stream1');
    expect(next).toContain('${CAM_01_PASSWORD}');
    const config = parseConfigText(FILE, next, appConfigSchema, { env });
    expect(config.cameras.map((camera) => [camera.id, camera.fps, camera.width])).toEqual([['cam-01', 1, 640], ['cam-02', 2, null], ['gate-3', 1, null]]);
    expect(config.kafka.brokers).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(config.alerts.system).toMatchObject({ max_p95_latency_ms: 2500, max_consumer_lag: 500 });
    expect(config.instance_id).toBe('site-1');
    // Removing a camera is leaving it out.
    const fewer = applySettingsUpdate(FILE, next, { revision: settingsRevision(next), cameras: readSettings(FILE, next, env).cameras.slice(1) }, env);
    expect(parseConfigText(FILE, fewer, appConfigSchema, { env }).cameras.map((camera) => camera.id)).toEqual(['cam-02', 'gate-3']);
  });

  it('names each problem at its field in the settings\' terms, and writes nothing it could not load', () => {
    const cameras = readSettings(FILE, TEXT, env).cameras;
    expect(problemsOf(() => applySettingsUpdate(FILE, TEXT, { revision: '', cameras: [...cameras, { ...cameras[0]!, id: 'cam-01' }] }, env))).toEqual([
      expect.objectContaining({ path: 'cameras[2].id', message: expect.stringContaining('duplicate camera id "cam-01"') }),
    ]);
    expect(problemsOf(() => applySettingsUpdate(FILE, TEXT, { revision: '', cameras: [{ ...cameras[0]!, fps: 0 }] }, env))[0]?.path).toBe('cameras[0].fps');
    expect(problemsOf(() => applySettingsUpdate(FILE, TEXT, { revision: '', alert_thresholds: { min_key_success_rate: 3 } }, env))[0]?.path).toBe('alert_thresholds.min_key_success_rate');
    expect(problemsOf(() => applySettingsUpdate(FILE, TEXT, { revision: '', cameras: [{ ...cameras[0]!, url: '${NOT_SET_ANYWHERE}/x' }] }, env))[0]).toEqual({ path: 'cameras[0].url', message: 'environment variable NOT_SET_ANYWHERE is not set' });
    // A password typed into the form must go into the environment, not the file.
    expect(problemsOf(() => applySettingsUpdate(FILE, TEXT, { revision: '', cameras: [{ ...cameras[0]!, url: 'rtsp://op:letmein@192.0.2.12/s' }] }, env))).toEqual([
      { path: 'cameras[0].url', message: expect.stringContaining('environment variable') },
    ]);
  });

  it('masks only a password written in place', () => {
    expect(maskUrlPassword('rtsp://u:p@h/s')).toBe('rtsp://u:***@h/s');
    expect(maskUrlPassword('rtsp://u:${P}@h/s')).toBe('rtsp://u:${P}@h/s');
    expect(maskUrlPassword('rtsp://h/s')).toBe('rtsp://h/s');
    expect(maskUrlPassword('/videos/a:b@c.mp4')).toBe('/videos/a:b@c.mp4');
  });

  it('reads the shipped default config', () => {
    const text = readFileSync('config/default.yaml', 'utf8');
    expect(readSettings('config/default.yaml', text, {}).cameras).toEqual([{ id: 'demo', name: '演示摄像头 (demo)', url: '${TCR_RESOURCES:-resources}/demo/street-demo.mp4', fps: 1, enabled: true, loop: true }]);
  });
});
