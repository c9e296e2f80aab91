// The settings form: built from the gateway's view, turned back into its update, problems found by field.
import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../backend/contracts/index.js';
import { formOf, newCamera, problemsAt, updateOf } from '../../../renderer/src/state/settingsForm.js';

const view: SettingsView = {
  file: '/etc/tcr/site.yaml',
  revision: 'abc',
  cameras: [{ id: 'cam-01', name: '人民路', url: 'rtsp://h/s', fps: 1, enabled: true, loop: false }],
  kafka_brokers: ['kafka-1:9092', 'kafka-2:9092'],
  alert_thresholds: { max_consumer_lag: 1000, min_available_keys: 1, min_key_success_rate: 0.95, max_p95_latency_ms: 2000, max_dead_letters_per_min: 10 },
  keys: [{ name: 'key-001', qps_limit: 5, rpm_limit: 300 }],
  keys_file: 'config/api_keys.yaml',
};

describe('renderer > settings form', () => {
  it('round-trips the view into an update, brokers split on commas, spaces or lines', () => {
    const form = formOf(view);
    expect(form.brokers).toBe('kafka-1:9092, kafka-2:9092');
    const { update, problems } = updateOf({ ...form, brokers: 'kafka-1:9092,\nkafka-3:9092  ' });
    expect(problems).toEqual([]);
    expect(update).toEqual({ revision: 'abc', cameras: view.cameras, kafka_brokers: ['kafka-1:9092', 'kafka-3:9092'], alert_thresholds: view.alert_thresholds });
  });

  it('finds a threshold that is not a number before sending, at its field', () => {
    const form = formOf(view);
    const { problems } = updateOf({ ...form, thresholds: { ...form.thresholds, max_consumer_lag: '12a', min_available_keys: ' ' } });
    expect(problemsAt(problems, 'alert_thresholds.max_consumer_lag')).toEqual(['a number']);
    expect(problemsAt(problems, 'alert_thresholds.min_available_keys')).toEqual(['a number']);
    expect(problemsAt(problems, 'alert_thresholds.max_p95_latency_ms')).toEqual([]);
  });

  it('gives a new camera the next free id, disabled until tested', () => {
    expect(newCamera(view.cameras)).toEqual({ id: 'cam-02', name: 'cam-02', url: '', fps: 1, enabled: false, loop: false });
    expect(newCamera([...view.cameras, { ...view.cameras[0]!, id: 'cam-02' }]).id).toBe('cam-03');
    expect(newCamera([]).id).toBe('cam-01');
  });
});
