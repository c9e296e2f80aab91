import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadApiKeysConfig, loadAppConfig } from '../../../backend/config/index.js';

// docker compose cannot run on these machines (no Docker engine): this checks the file's structure instead.
const compose = parse(readFileSync(new URL('../../../docker/docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: { context: string; dockerfile: string }; environment?: Record<string, string>; command?: string[]; depends_on?: Record<string, { condition: string }>; ports?: string[] }>;
  volumes: Record<string, unknown>;
};
const brokers = ['kafka-1', 'kafka-2', 'kafka-3'];

describe('docker > docker-compose.yml', () => {
  it('runs three combined KRaft brokers of one cluster with replication 3 and min.insync.replicas 2', () => {
    const envs = brokers.map((name) => compose.services[name]!.environment!);
    expect(new Set(envs.map((env) => env.KAFKA_NODE_ID))).toEqual(new Set(['1', '2', '3']));
    expect(new Set(envs.map((env) => env.CLUSTER_ID)).size).toBe(1);
    for (const [index, env] of envs.entries()) {
      expect(compose.services[brokers[index]!]!.image).toMatch(/^apache\/kafka:3\.9\./);
      expect(env).toMatchObject({
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093',
        KAFKA_DEFAULT_REPLICATION_FACTOR: '3',
        KAFKA_MIN_INSYNC_REPLICAS: '2',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '3',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '3',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '2',
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${brokers[index]}:9092`,
      });
    }
  });

  it('builds the scheduler and the server from the project, after the topics are set up', () => {
    for (const name of ['kafka-setup', 'scheduler', 'server']) {
      expect(compose.services[name]!.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    }
    expect(compose.services['kafka-setup']!.command?.slice(0, 1)).toEqual(['setup-kafka']);
    expect(compose.services.scheduler!.command?.[0]).toBe('scheduler');
    expect(compose.services.scheduler!.depends_on).toEqual({ 'kafka-setup': { condition: 'service_completed_successfully' } });
    expect(Object.keys(compose.services['kafka-setup']!.depends_on!)).toEqual(brokers);
    expect(compose.services.server!.ports).toEqual(['127.0.0.1:8080:8080']);
  });

  it('mounts config files that pass the strict config check', () => {
    const env = { HOSTNAME: 'tcr-1', TCR_GATEWAY_TOKEN: 'a-token-of-sixteen-plus', DASHSCOPE_KEY_001: 'sk-test-aaaa1111', DASHSCOPE_KEY_002: 'sk-test-bbbb2222' };
    const server = loadAppConfig(new URL('../../../docker/config/server.yaml', import.meta.url).pathname, env);
    expect(server.kafka.brokers).toEqual(['kafka-1:9092', 'kafka-2:9092', 'kafka-3:9092']);
    expect(loadApiKeysConfig(new URL('../../../docker/config/api_keys.yaml', import.meta.url).pathname, env).keys).toHaveLength(2);
  });
});
