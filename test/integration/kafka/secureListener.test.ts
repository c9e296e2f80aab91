import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appConfigSchema } from '../../../backend/config/index.js';
import { MESSAGE_SCHEMAS } from '../../../backend/contracts/index.js';
import { createKafkaBus } from '../../../backend/bus/kafka/kafkaBus.js';
import { captureLogger, taskMessage, waitFor } from '../../support/busFixtures.js';
import { uniqueName } from '../../support/kafkaFixtures.js';
import { restartableBroker, type RestartableBroker } from '../../support/restartableBroker.js';
import { makeTestCertificates, type TestCertificates } from '../../support/tlsCertificates.js';

const SECURE_PORT = 39100;
const USER = 'tcr-app';
const PASSWORD = 'tcr-test-password-1';
let dir: string;
let certificates: TestCertificates;
let broker: RestartableBroker;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tcr-tls-'));
  certificates = makeTestCertificates(dir);
  broker = restartableBroker(39098, { KAFKA_SASL_SSL_PORT: String(SECURE_PORT), KAFKA_TLS_PEM: certificates.brokerPem, KAFKA_SASL_USER: USER, KAFKA_SASL_PASSWORD: PASSWORD });
  broker.destroy();
  broker.start();
  await broker.createTopics([{ name: 'dlq', partitions: 1 }]);
}, 120_000);
afterAll(() => {
  broker.destroy();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

type Mechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';
function secureBus(mechanism: Mechanism, overrides: { password?: string; caFile?: string | null } = {}) {
  const settings = appConfigSchema.parse({
    kafka: {
      brokers: [`127.0.0.1:${SECURE_PORT}`], client_id: 'tcr-test', session_timeout_ms: 6000, rebalance_timeout_ms: 10_000, connection_timeout_ms: 3000, request_timeout_ms: 10_000,
      ssl: { enabled: true, ca_file: overrides.caFile === undefined ? certificates.caFile : overrides.caFile },
      sasl: { mechanism, username: USER, password: overrides.password ?? PASSWORD },
    },
  }).kafka;
  return createKafkaBus({ settings, dlqTopic: 'dlq', logger: captureLogger().logger, retryPolicy: { attempts: 1, initialDelayMs: 10, maxDelayMs: 10 } });
}

describe('kafka > TLS and SASL from config (a SASL_SSL listener of a broker of its own)', () => {
  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('round-trips a message over TLS with SASL %s', async (mechanism) => {
    const topic = uniqueName(`secure-${mechanism}`);
    await broker.createTopics([{ name: topic, partitions: 1 }]);
    const bus = secureBus(mechanism);
    const seen: string[] = [];
    await bus.subscribe({ group: uniqueName('reader'), topic, schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'reader', handle: async (task) => void seen.push(task.frame_id) });
    await bus.producer().send(topic, [{ key: 'cam-1', value: JSON.stringify(taskMessage(7)) }]);
    await waitFor(() => seen.length === 1, 60_000, 'the message');
    expect(seen).toEqual(['frame-7']);
    await bus.close();
  });

  it('refuses a wrong password with an authentication error, promptly', async () => {
    const bus = secureBus('scram-sha-256', { password: 'not-the-password' });
    const startedAt = Date.now();
    await expect(bus.producer().send('anything', [{ key: null, value: '{}' }])).rejects.toThrow(/SASL|authenticat/i);
    expect(Date.now() - startedAt).toBeLessThan(60_000);
    await bus.close();
  });

  it('refuses a broker whose certificate it cannot verify (no CA configured)', async () => {
    const bus = secureBus('plain', { caFile: null });
    await expect(bus.producer().send('anything', [{ key: null, value: '{}' }])).rejects.toThrow(/certificate|self[- ]signed|verify/i);
    await bus.close();
  });
});
