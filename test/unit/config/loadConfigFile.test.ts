import { describe, expect, it } from 'vitest';
import { loadApiKeysConfig, loadAppConfig } from '../../../backend/config/index.js';
import { ConfigError } from '../../../backend/core/errors.js';
import { useTempDir } from '../../support/tempDir.js';

const env = { KEY_A: 'sk-test-aaaa1111', KEY_B: 'sk-test-bbbb2222' };

const goodKeys = `strategy: round_robin
max_retry_per_key: 2
default_cooldown: 30
accounts:
  - name: acct
    rpm_limit: 150
keys:
  - name: a
    api_key: \${KEY_A}
    qps_limit: 5
    rpm_limit: 100
    account: acct
  - name: b
    api_key: \${KEY_B}
    qps_limit: 2.5
    rpm_limit: 60
    priority: 3
    weight: 2
    max_in_flight: 4
`;

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('config > loadConfigFile', () => {
  const temp = useTempDir();

  it('loads a keys file, substitutes the environment and fills defaults', () => {
    const config = loadApiKeysConfig(temp.write('keys.yaml', goodKeys), env);
    expect(config.strategy).toBe('round_robin');
    expect(config.keys.map((key) => key.api_key)).toEqual(['sk-test-aaaa1111', 'sk-test-bbbb2222']);
    expect(config.keys[0]).toMatchObject({ priority: 0, weight: 1, max_in_flight: null, tpm_limit: null, account: 'acct' });
    expect(config.keys[1]).toMatchObject({ qps_limit: 2.5, priority: 3, weight: 2, max_in_flight: 4 });
  });

  it('loads the shipped default process config with every role and the embedded bus', () => {
    const config = loadAppConfig(new URL('../../../config/default.yaml', import.meta.url).pathname, {});
    expect(config.roles).toEqual(['detection', 'expander', 'scheduler', 'results', 'gateway']);
    expect(config.kafka.brokers).toEqual([]);
    expect(config.kafka.topics.assessment_tasks).toEqual({ name: 'assessment-tasks', partitions: 32, replication_factor: 3, retention_ms: 7_200_000 });
    expect(config.gateway.host).toBe('127.0.0.1');
  });

  it("refuses a camera calibration that cannot define a ground plane, naming the camera's field", () => {
    const camera = (calibration: unknown) => `cameras:\n  - { id: cam-01, name: x, url: rtsp://h/x, calibration: ${JSON.stringify(calibration)} }\n`;
    const file = (calibration: unknown) => temp.write('calibration.yaml', camera(calibration));
    const onALine = { points: [0, 1, 2, 3].map((i) => ({ image: [100 * i, 400 + 10 * i], ground: [i, 5 * i + 1] })) };
    expect(problemsOf(() => loadAppConfig(file(onALine), {})).join('\n')).toMatch(/cameras\[0\]\.calibration\.points.*image points lie on one line/);
    const three = { points: [[0, 400], [100, 400], [200, 400], [100, 600]].map((image, i) => ({ image, ground: [i, i * i] })) };
    expect(problemsOf(() => loadAppConfig(file(three), {})).join('\n')).toMatch(/cameras\[0\]\.calibration\.points.*three of the four image points/);
    expect(problemsOf(() => loadAppConfig(file({ points: onALine.points.slice(0, 3) }), {})).join('\n')).toMatch(/needs at least 4 points, got 3/);
    expect(problemsOf(() => loadAppConfig(file({}), {})).join('\n')).toMatch(/cameras\[0\]\.calibration.*give either points or scale/);
    expect(problemsOf(() => loadAppConfig(file({ scale: { metres_per_pixel: 0.05, reference_row: 300, horizon_row: 400 } }), {})).join('\n')).toMatch(/horizon_row.*above reference_row/);
    const rectangle = { points: [[100, 400], [1180, 400], [1240, 700], [40, 700]].map((image, i) => ({ image, ground: [[0, 30], [12, 30], [12, 0], [0, 0]][i] })) };
    expect(loadAppConfig(file(rectangle), {}).cameras[0]!.calibration!.points).toHaveLength(4);
  });

  it('fills nested defaults for an empty process config', () => {
    const config = loadAppConfig(temp.write('empty.yaml', ''), {});
    expect(config.kafka.topics.dlq.partitions).toBe(4);
    expect(config.detector.model.format).toBe('yolox');
  });

  it('uses ${VAR:-fallback} when the variable is unset and the variable when set', () => {
    const file = temp.write('app.yaml', 'instance_id: ${TCR_INSTANCE:-rack-1}\n');
    expect(loadAppConfig(file, {}).instance_id).toBe('rack-1');
    expect(loadAppConfig(file, { TCR_INSTANCE: 'rack-7' }).instance_id).toBe('rack-7');
  });

  const badKeys: [label: string, text: string, expected: RegExp][] = [
    ['a misspelled field', goodKeys.replace('qps_limit: 5', 'qps_limt: 5'), /keys\.yaml:\d+:\d+: keys\[0\]\.qps_limt: unknown field \(did you mean "qps_limit"\?\)/],
    ['an unknown top-level field', `strategi: priority\n${goodKeys}`, /:1:1: strategi: unknown field \(did you mean "strategy"\?\)/],
    ['qps_limit of zero', goodKeys.replace('qps_limit: 5', 'qps_limit: 0'), /keys\[0\]\.qps_limit: .*>0/],
    ['a negative qps_limit', goodKeys.replace('qps_limit: 5', 'qps_limit: -1'), /keys\[0\]\.qps_limit: /],
    ['rpm_limit below qps_limit', goodKeys.replace('rpm_limit: 100', 'rpm_limit: 3'), /keys\[0\]\.rpm_limit: expected rpm_limit >= qps_limit/],
    ['a string where a number belongs', goodKeys.replace('qps_limit: 5', 'qps_limit: five'), /keys\[0\]\.qps_limit: expected number, got "five"/],
    ['a duplicate key name', goodKeys.replace('- name: b', '- name: a'), /keys\[1\]\.name: duplicate key name "a"/],
    ['an undeclared account', goodKeys.replace('account: acct', 'account: other'), /keys\[0\]\.account: account "other" is not declared/],
    ['an unknown strategy', goodKeys.replace('round_robin', 'random'), /strategy: expected one of "round_robin", "least_load", "priority", got "random"/],
    ['no keys at all', 'strategy: priority\nkeys: []\n', /keys: Too small/],
    ['a missing api_key', goodKeys.replace('    api_key: ${KEY_B}\n', ''), /keys\[1\]\.api_key: missing, expected string/],
    ['malformed YAML', 'keys: [\n  - name: a\n', /keys\.yaml:\d+:\d+: not valid YAML/],
    ['a duplicated YAML key', goodKeys.replace('strategy: round_robin', 'strategy: round_robin\nstrategy: priority'), /not valid YAML: Map keys must be unique/],
  ];

  for (const [label, text, expected] of badKeys) {
    it(`refuses ${label}, naming file, line and field`, () => {
      const file = temp.write('keys.yaml', text);
      const problems = problemsOf(() => loadApiKeysConfig(file, env));
      expect(problems.some((line) => expected.test(line)), problems.join('\n')).toBe(true);
      expect(problems.every((line) => line.startsWith(file))).toBe(true);
    });
  }

  it('names the missing environment variable and never prints a key value', () => {
    const file = temp.write('keys.yaml', goodKeys);
    const problems = problemsOf(() => loadApiKeysConfig(file, { KEY_A: 'sk-test-aaaa1111' }));
    expect(problems).toEqual([expect.stringMatching(/keys\.yaml:14:\d+: keys\[1\]\.api_key: environment variable KEY_B is not set/)]);
    expect(problems.join('\n')).not.toContain('sk-test-aaaa1111');
  });

  it('does not echo a too-short key in its error', () => {
    const file = temp.write('keys.yaml', goodKeys);
    const problems = problemsOf(() => loadApiKeysConfig(file, { ...env, KEY_B: 'sk-1234' }));
    expect(problems.join('\n')).toMatch(/keys\[1\]\.api_key: .*got a string/);
    expect(problems.join('\n')).not.toContain('sk-1234');
  });

  it('refuses a literal key in the file unless allow_plaintext_keys is set', () => {
    const literal = goodKeys.replace('${KEY_A}', 'sk-live-0123456789abcdef');
    const problems = problemsOf(() => loadApiKeysConfig(temp.write('keys.yaml', literal), env));
    expect(problems.join('\n')).toMatch(/keys\[0\]\.api_key: a secret written in the file/);
    expect(problems.join('\n')).not.toContain('0123456789abcdef');
    const allowed = loadApiKeysConfig(temp.write('keys2.yaml', `allow_plaintext_keys: true\n${literal}`), env);
    expect(allowed.keys[0]?.api_key).toBe('sk-live-0123456789abcdef');
  });

  it('refuses something shaped like a provider key in any field of a process config', () => {
    const problems = problemsOf(() => loadAppConfig(temp.write('app.yaml', 'instance_id: sk-abcdef0123456789xyz\n'), {}));
    expect(problems.join('\n')).toMatch(/instance_id: looks like an API key/);
  });

  it('refuses duplicate camera ids and unknown nested fields in a process config', () => {
    const text = `cameras:
  - { id: cam-1, name: A, url: a.mp4 }
  - { id: cam-1, name: B, url: b.mp4, fsp: 2 }
kafka:
  topics:
    dlq: { partitions: 0 }
`;
    const problems = problemsOf(() => loadAppConfig(temp.write('app.yaml', text), {})).join('\n');
    expect(problems).toMatch(/cameras\[1\]\.fsp: unknown field \(did you mean "fps"\?\)/);
    expect(problems).toMatch(/kafka\.topics\.dlq\.partitions: /);
  });

  it('reports a missing file by name', () => {
    expect(problemsOf(() => loadAppConfig(temp.path('nope.yaml'), {}))).toEqual([expect.stringMatching(/nope\.yaml: file not found/)]);
  });
});
