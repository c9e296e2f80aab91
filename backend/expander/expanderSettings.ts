// Turns the config's expander, detection and kafka sections into the expander's typed settings.
import type { AppConfig } from '../config/index.js';
import type { ExpanderSettings } from './expanderStage.js';

/** Records processed at once per consumer: the expander is CPU-light, so a few keep a partition busy. */
const EXPANDER_CONCURRENCY = 8;

export function expanderSettings(config: Pick<AppConfig, 'expander' | 'detection' | 'kafka'>): ExpanderSettings {
  return {
    group: config.expander.consumer_group,
    detectionTopic: config.kafka.topics.detection_results.name,
    tasksTopic: config.kafka.topics.assessment_tasks.name,
    taskTtlMs: config.expander.task_ttl_ms,
    maxMessageBytes: config.kafka.max_message_bytes,
    dedup: { windowMs: config.expander.dedup_window_ms, regionIou: config.expander.dedup_region_iou, distanceChange: config.detection.groups.distance_change, ttcThresholdS: config.detection.conflict.ttc_threshold_s },
    concurrency: EXPANDER_CONCURRENCY,
    ttcThresholdS: config.detection.conflict.ttc_threshold_s,
  };
}
