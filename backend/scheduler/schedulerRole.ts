// The scheduler role built from the process config: which assessor runs (LLM through the key pool, or rules only),
// the key pool with hot reload of its file, the LLM client, prompt and endpoint circuit.
import { existsSync } from 'node:fs';
import { EndpointCircuit } from '../assess/endpointCircuit.js';
import { createLlmAssessor, type LlmAssessor } from '../assess/llmAssessor.js';
import { createLlmClient } from '../assess/llmClient.js';
import { defaultPromptFile, loadPromptTemplate } from '../assess/prompt.js';
import type { Bus } from '../bus/bus.js';
import { loadApiKeysConfig, type AppConfig, type Env } from '../config/index.js';
import { systemClock } from '../core/clock.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { watchKeyFile, type KeyFileWatcher } from '../keypool/keyFileWatcher.js';
import { createKeyPool, type KeyPool } from '../keypool/keyPool.js';
import { createScheduler, type Scheduler, type SchedulerSettings } from './schedulerStage.js';

export interface SchedulerRole {
  scheduler: Scheduler;
  /** null when the rules assessor runs alone. */
  pool: KeyPool | null;
  circuit: EndpointCircuit | null;
  close(): void;
}

export function schedulerSettings(config: AppConfig): SchedulerSettings {
  return {
    group: config.scheduler.consumer_group,
    tasksTopic: config.kafka.topics.assessment_tasks.name,
    resultsTopic: config.kafka.topics.risk_assessment_results.name,
    workers: config.scheduler.workers,
    language: config.llm.language,
    ttcThresholdS: config.detection.conflict.ttc_threshold_s,
    model: config.llm.model,
    fallback: config.scheduler.fallback,
    maxImageBytes: config.llm.max_image_bytes,
    maxMessageBytes: config.kafka.max_message_bytes,
    cameraNames: new Map(config.cameras.map((camera) => [camera.id, camera.name])),
    drainTimeoutMs: config.scheduler.drain_timeout_ms,
  };
}

/** Whether this process assesses with the LLM: `auto` does when the key file exists (the default has none). */
function usesLlm(config: AppConfig): boolean {
  if (config.scheduler.assessor === 'rules') return false;
  if (config.scheduler.assessor === 'llm') return true;
  return existsSync(config.llm.api_keys_file);
}

export function createSchedulerRole(config: AppConfig, bus: Bus, env: Env, logger: Logger): SchedulerRole {
  const settings = schedulerSettings(config);
  if (!usesLlm(config)) {
    const why = config.scheduler.assessor === 'rules' ? 'scheduler.assessor is rules' : 'no key pool file';
    logger.info({ api_keys_file: config.llm.api_keys_file, assessor: config.scheduler.assessor }, `${why}: tasks are assessed by the rules assessor`);
    const scheduler = createScheduler(settings, { bus, llm: null, onAssignment: () => undefined });
    return { scheduler, pool: null, circuit: null, close: () => undefined };
  }
  if (!existsSync(config.llm.api_keys_file)) {
    throw new ConfigError([{ file: config.llm.api_keys_file, path: '', message: 'the key pool file does not exist (scheduler.assessor is llm)' }]);
  }
  const keys = loadApiKeysConfig(config.llm.api_keys_file, env);
  const template = loadPromptTemplate(config.llm.prompt_file ?? defaultPromptFile(config.llm.language), config.llm.language);
  // On Kafka an instance owns nothing until the group assigns it partitions: it must not send on another's slots.
  const pool = createKeyPool(keys, bus.kind === 'kafka' ? { ownership: { owned: new Set(), total: config.kafka.topics.assessment_tasks.partitions } } : {});
  const watcher: KeyFileWatcher = watchKeyFile({ file: config.llm.api_keys_file, env, pool, logger });
  const client = createLlmClient({ baseUrl: config.llm.base_url, model: config.llm.model, timeoutMs: config.llm.timeout_ms, onSend: (lease) => pool.recordSend(lease), onWire: (lease) => pool.recordWrite(lease) });
  // While the group has not assigned this instance anything yet: its first requests then leave on open connections.
  void client.warmUp(config.scheduler.workers).then((open) => logger.info({ connections: open, wanted: config.scheduler.workers }, 'connections to the LLM endpoint opened'));
  const circuit = new EndpointCircuit({ failureThreshold: config.scheduler.endpoint_failure_threshold, openMs: config.scheduler.endpoint_open_ms }, systemClock);
  const llm: LlmAssessor = createLlmAssessor(
    { model: config.llm.model, maxTokens: config.llm.max_tokens, maxAttempts: config.scheduler.max_attempts, maxRetryPerKey: keys.max_retry_per_key, whenUnreachable: config.scheduler.fallback === 'rules' ? 'fail' : 'wait' },
    { pool, client, template, circuit, clock: systemClock },
  );
  const scheduler = createScheduler(settings, {
    bus,
    llm,
    onAssignment: ({ partitions, total }) => {
      pool.setOwnership(partitions, total);
      logger.info({ partitions, total }, 'assessment-tasks partitions assigned; the key pool sends in their slots');
    },
  });
  logger.info({ keys: keys.keys.map((key) => key.name), model: config.llm.model, prompt: template.file, fallback: config.scheduler.fallback }, 'tasks are assessed by the LLM through the key pool');
  return {
    scheduler,
    pool,
    circuit,
    close() {
      watcher.close();
      pool.close();
    },
  };
}
