// The results role's settings, from the process config.
import { join } from 'node:path';
import type { AppConfig } from '../config/index.js';
import type { ResultsSettings } from './resultsStage.js';

const DAY_MS = 86_400_000;
/** Deletion is cheap and a day's results are few: hourly is often enough. */
const PRUNE_EVERY_MS = 3_600_000;

export function resultStoreFile(config: AppConfig): string {
  return config.results.file ?? join(config.data_dir, 'results.sqlite');
}

export function resultsSettings(config: AppConfig): ResultsSettings {
  return {
    group: config.results.consumer_group,
    topic: config.kafka.topics.risk_assessment_results.name,
    file: resultStoreFile(config),
    retentionMs: config.results.retention_days * DAY_MS,
    cropRetentionMs: config.results.crop_retention_days * DAY_MS,
    cropMinRiskLevel: config.results.crop_min_risk_level,
    pruneEveryMs: PRUNE_EVERY_MS,
    rules: config.alerts.rules,
    timeZone: config.alerts.timezone,
    fold: { windowMs: config.alerts.fold_window_s * 1000, minIou: config.alerts.fold_min_iou },
  };
}
