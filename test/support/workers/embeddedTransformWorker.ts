// A transform stage in its own process, for kill tests: in → out on the embedded bus at the given path.
import { MESSAGE_SCHEMAS } from '../../../backend/contracts/index.js';
import { createEmbeddedBus } from '../../../backend/bus/embedded/embeddedBus.js';
import { createLogger } from '../../../backend/core/logger.js';

const path = process.argv[2];
if (!path) throw new Error('usage: embeddedTransformWorker <bus.sqlite>');
const bus = createEmbeddedBus({ path, dlqTopic: 'dlq', retentionMs: 3_600_000, maxBytes: 1 << 30, maxMessageBytes: 1 << 20, logger: createLogger({ level: 'warn', format: 'json' }), pollMs: 20 });
await bus.transform({
  group: 'expander',
  topic: 'in',
  schema: MESSAGE_SCHEMAS.AssessmentTaskMessage,
  stage: 'expander',
  concurrency: 16,
  transform: async (message) => {
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
    return [{ topic: 'out', key: message.camera_id, value: JSON.stringify({ ...message, priority: 7 }) }];
  },
});
process.stdout.write('ready\n');
