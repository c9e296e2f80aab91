// A transform stage on Kafka in its own process, for kill tests: <broker> <in> <out> <dlq> <group>.
import { MESSAGE_SCHEMAS } from '../../../backend/contracts/index.js';
import { createKafkaBus } from '../../../backend/bus/kafka/kafkaBus.js';
import { createLogger } from '../../../backend/core/logger.js';
import { testKafkaSettings } from '../kafkaFixtures.js';

const [broker, input, output, dlq, group] = process.argv.slice(2);
if (!broker || !input || !output || !dlq || !group) throw new Error('usage: kafkaTransformWorker <broker> <in> <out> <dlq> <group>');
const bus = createKafkaBus({ settings: testKafkaSettings(broker), dlqTopic: dlq, logger: createLogger({ level: process.env.WORKER_LOG_LEVEL ?? 'error', format: 'json' }) });
bus.events.on('processed', () => process.stdout.write('processed\n'));
await bus.transform({
  group,
  topic: input,
  schema: MESSAGE_SCHEMAS.AssessmentTaskMessage,
  stage: 'expander',
  // Slow enough that several kills land mid-stream, in every phase of a transaction.
  concurrency: 4,
  transform: async (message) => {
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 30));
    return [{ topic: output, key: message.camera_id, value: JSON.stringify({ ...message, priority: 7 }) }];
  },
});
