// `tcr setup-kafka`: creates the pipeline topics, reports how existing ones differ, and fixes what Kafka allows.
import kafkajs, { type Admin } from 'kafkajs';
import type { TopicSpec } from '../topics.js';

// kafkajs is CommonJS: its enums are reached through the default export under Node's ESM loader.
const { ConfigResourceTypes } = kafkajs;

export interface TopicMismatch {
  topic: string;
  field: string;
  actual: string;
  expected: string;
  /** Kafka can change it in place (partition increase, topic configs); replication and shrinking cannot. */
  fixable: boolean;
  fixed: boolean;
}

export interface SetupReport {
  created: string[];
  unchanged: string[];
  mismatches: TopicMismatch[];
}

async function describeExisting(admin: Admin, specs: readonly TopicSpec[]): Promise<Map<string, { partitions: number; replicas: number; configs: Record<string, string> }>> {
  const metadata = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.name) });
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: specs.map((spec) => ({ type: ConfigResourceTypes.TOPIC, name: spec.name, configNames: Object.keys(spec.configs) })),
  });
  const configs = new Map(described.resources.map((resource) => [resource.resourceName, Object.fromEntries(resource.configEntries.map((entry) => [entry.configName, entry.configValue]))]));
  return new Map(
    metadata.topics.map((topic) => [
      topic.name,
      { partitions: topic.partitions.length, replicas: Math.min(...topic.partitions.map((partition) => partition.replicas.length)), configs: configs.get(topic.name) ?? {} },
    ]),
  );
}

function compare(spec: TopicSpec, actual: { partitions: number; replicas: number; configs: Record<string, string> }): TopicMismatch[] {
  const mismatches: TopicMismatch[] = [];
  if (actual.partitions !== spec.partitions) {
    mismatches.push({ topic: spec.name, field: 'partitions', actual: String(actual.partitions), expected: String(spec.partitions), fixable: actual.partitions < spec.partitions, fixed: false });
  }
  if (actual.replicas !== spec.replicationFactor) {
    mismatches.push({ topic: spec.name, field: 'replication_factor', actual: String(actual.replicas), expected: String(spec.replicationFactor), fixable: false, fixed: false });
  }
  for (const [name, expected] of Object.entries(spec.configs)) {
    const value = actual.configs[name] ?? '(unset)';
    if (value !== expected) mismatches.push({ topic: spec.name, field: name, actual: value, expected, fixable: true, fixed: false });
  }
  return mismatches;
}

async function fix(admin: Admin, mismatches: TopicMismatch[]): Promise<void> {
  for (const mismatch of mismatches.filter((item) => item.fixable && item.field === 'partitions')) {
    await admin.createPartitions({ topicPartitions: [{ topic: mismatch.topic, count: Number(mismatch.expected) }] });
    mismatch.fixed = true;
  }
  const configChanges = mismatches.filter((item) => item.fixable && item.field !== 'partitions');
  const byTopic = new Map<string, TopicMismatch[]>();
  for (const change of configChanges) byTopic.set(change.topic, [...(byTopic.get(change.topic) ?? []), change]);
  for (const [topic, changes] of byTopic) {
    // AlterConfigs (the non-incremental API kafkajs speaks) replaces a topic's whole dynamic config, so the
    // topic's other overrides are sent along unchanged; otherwise fixing one value would reset the rest.
    const current = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
    const overrides = new Map(
      (current.resources[0]?.configEntries ?? []).filter((entry) => !entry.isDefault && !entry.readOnly).map((entry) => [entry.configName, entry.configValue]),
    );
    for (const change of changes) overrides.set(change.field, change.expected);
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [...overrides].map(([name, value]) => ({ name, value })) }],
    });
    for (const change of changes) change.fixed = true;
  }
}

export async function setupTopics(admin: Admin, specs: readonly TopicSpec[], apply: boolean): Promise<SetupReport> {
  const existingNames = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existingNames.has(spec.name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor: spec.replicationFactor,
        configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  const present = specs.filter((spec) => existingNames.has(spec.name));
  const described = present.length > 0 ? await describeExisting(admin, present) : new Map();
  const mismatches = present.flatMap((spec) => compare(spec, described.get(spec.name)!));
  if (apply) await fix(admin, mismatches);
  return {
    created: missing.map((spec) => spec.name),
    unchanged: present.filter((spec) => !mismatches.some((mismatch) => mismatch.topic === spec.name)).map((spec) => spec.name),
    mismatches,
  };
}
