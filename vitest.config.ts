// One test command for unit, integration and end-to-end tests. Kafka tests form their own project so the
// broker is started (once, by the project's script) only for them.
import { defineConfig } from 'vitest/config';

const KAFKA_TESTS = 'test/integration/kafka/**/*.test.ts';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summaryReporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [KAFKA_TESTS] } },
      // Group joins take seconds and the fault tests restart brokers and processes; on a loaded CI machine more.
      { extends: true, test: { name: 'kafka', include: [KAFKA_TESTS], globalSetup: ['./test/support/kafkaGlobalSetup.ts'], fileParallelism: false, testTimeout: 150_000 } },
    ],
  },
});
