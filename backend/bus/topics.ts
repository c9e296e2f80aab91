// The four topics of the pipeline as the config describes them, keyed by their role in the flow.
import type { AppConfig } from '../config/index.js';

export const TOPIC_ROLES = ['detection_results', 'assessment_tasks', 'risk_assessment_results', 'dlq'] as const;
export type TopicRole = (typeof TOPIC_ROLES)[number];

export interface TopicSpec {
  role: TopicRole;
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Topic-level configs we manage; others are left as the cluster sets them. */
  configs: Record<string, string>;
}

/** With `dev`, replication 1 (a single-broker cluster) whatever the config says. */
export function topicSpecs(kafka: AppConfig['kafka'], dev: boolean): TopicSpec[] {
  return TOPIC_ROLES.map((role) => {
    const topic = kafka.topics[role];
    const replicationFactor = dev ? 1 : topic.replication_factor;
    return {
      role,
      name: topic.name,
      partitions: topic.partitions,
      replicationFactor,
      configs: {
        'retention.ms': String(topic.retention_ms),
        // Acknowledged writes survive one broker loss when RF ≥ 3; a single-broker cluster cannot ask for 2.
        'min.insync.replicas': String(Math.min(2, replicationFactor)),
      },
    };
  });
}
