import kafkajs from 'kafkajs';
import { describe, expect, inject, it } from 'vitest';
import { useTempDir } from '../../support/tempDir.js';
import { runTcr } from '../../support/runTcr.js';

const broker = inject('kafkaBroker');
const { ConfigResourceTypes } = kafkajs;

function configWithTopics(prefix: string): string {
  return `kafka:
  topics:
    detection_results: { name: ${prefix}-detection-results }
    assessment_tasks: { name: ${prefix}-assessment-tasks }
    risk_assessment_results: { name: ${prefix}-risk-assessment-results }
    dlq: { name: ${prefix}-dlq }
`;
}

async function withAdmin<T>(work: (admin: kafkajs.Admin) => Promise<T>): Promise<T> {
  const admin = new kafkajs.Kafka({ brokers: [broker], logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

describe('kafka > tcr setup-kafka (real broker)', () => {
  const temp = useTempDir();

  it('creates the four topics with the configured partitions, and a second run changes nothing', async () => {
    const prefix = `t${Date.now()}`;
    const config = temp.write('app.yaml', configWithTopics(prefix));
    const first = await runTcr(['setup-kafka', '--config', config, '--brokers', broker, '--dev']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.match(/^created/gm)).toHaveLength(4);
    const partitions = await withAdmin(async (admin) => {
      const metadata = await admin.fetchTopicMetadata({ topics: ['detection-results', 'assessment-tasks', 'risk-assessment-results', 'dlq'].map((name) => `${prefix}-${name}`) });
      return metadata.topics.map((topic) => [topic.name.slice(prefix.length + 1), topic.partitions.length]);
    });
    expect(Object.fromEntries(partitions)).toEqual({ 'detection-results': 16, 'assessment-tasks': 32, 'risk-assessment-results': 16, dlq: 4 });
    const second = await runTcr(['setup-kafka', '--config', config, '--brokers', broker, '--dev']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.match(/^ok/gm)).toHaveLength(4);
    expect(second.stdout).not.toMatch(/created|mismatch/);
  });

  it('reports each mismatch of an existing topic, fixes what Kafka allows with --apply, and keeps other overrides', async () => {
    const prefix = `m${Date.now()}`;
    const config = temp.write('app.yaml', configWithTopics(prefix));
    await withAdmin((admin) =>
      admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: `${prefix}-dlq`, numPartitions: 2, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '1000' }, { name: 'segment.bytes', value: '10485760' }] }],
      }),
    );
    const check = await runTcr(['setup-kafka', '--config', config, '--brokers', broker, '--dev']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(new RegExp(`^mismatch\\s+${prefix}-dlq: partitions is 2, expected 4 \\(fix with --apply\\)$`, 'm'));
    expect(check.stdout).toMatch(new RegExp(`^mismatch\\s+${prefix}-dlq: retention.ms is 1000, expected 604800000`, 'm'));

    const applied = await runTcr(['setup-kafka', '--config', config, '--brokers', broker, '--dev', '--apply']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(new RegExp(`^fixed\\s+${prefix}-dlq: partitions is 2, expected 4$`, 'm'));

    const topic = await withAdmin(async (admin) => {
      const metadata = await admin.fetchTopicMetadata({ topics: [`${prefix}-dlq`] });
      const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: `${prefix}-dlq` }] });
      return { partitions: metadata.topics[0]!.partitions.length, configs: Object.fromEntries(configs.resources[0]!.configEntries.map((entry) => [entry.configName, entry.configValue])) };
    });
    expect(topic.partitions).toBe(4);
    expect(topic.configs).toMatchObject({ 'retention.ms': '604800000', 'segment.bytes': '10485760' });
    expect((await runTcr(['setup-kafka', '--config', config, '--brokers', broker, '--dev'])).code).toBe(0);
  });

  it('says plainly that a cluster is unreachable, within its timeout', async () => {
    const started = Date.now();
    const run = await runTcr(['setup-kafka', '--brokers', '127.0.0.1:1', '--dev', '--timeout', '5']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^kafka_unreachable: .*127\.0\.0\.1:1/m);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
