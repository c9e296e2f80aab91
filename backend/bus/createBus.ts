// The bus a process uses: Kafka when brokers are configured, otherwise the embedded SQLite log in data_dir.
import { join } from 'node:path';
import type { AppConfig } from '../config/index.js';
import type { Logger } from '../core/logger.js';
import type { Bus } from './bus.js';
import { createEmbeddedBus } from './embedded/embeddedBus.js';
import { createKafkaBus } from './kafka/kafkaBus.js';

export function createBus(config: Pick<AppConfig, 'kafka' | 'embedded_bus' | 'data_dir' | 'instance_id' | 'max_clock_skew_ms'>, logger: Logger): Bus {
  const dlqTopic = config.kafka.topics.dlq.name;
  const maxClockSkewMs = config.max_clock_skew_ms;
  if (config.kafka.brokers.length > 0) {
    return createKafkaBus({ settings: config.kafka, instanceId: config.instance_id, dlqTopic, maxClockSkewMs, logger: logger.child({ stage: 'bus' }) });
  }
  return createEmbeddedBus({
    path: join(config.data_dir, 'bus.sqlite'),
    dlqTopic,
    retentionMs: config.embedded_bus.retention_ms,
    maxBytes: config.embedded_bus.max_bytes,
    maxMessageBytes: config.kafka.max_message_bytes,
    maxClockSkewMs,
    logger: logger.child({ stage: 'bus' }),
  });
}
