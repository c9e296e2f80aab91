// The results role's settings, from the process config.
import { join } from 'node:path';
import type { AppConfig } from '../config/index.js';
import type { ResultsSettings } from './resultsStage.js';

const DAY_MS = 86_400_000;
/** Deletion is cheap and a day's results are few: hourly is often enough. */
const PRUNE_EVERY_MS = 3_600_000;

export function resultsSettings(config: AppConfig): ResultsSettings {
  return {
    group: config.results.consumer_group,
    topic: config.kafka.topics.risk_assessment_results.name,
    file: config.results.file ?? join(config.data_dir, 'results.sqlite'),
    retentionMs: config.results.retention_days * DAY_MS,
    pruneEveryMs: PRUNE_EVERY_MS,
  };
}
