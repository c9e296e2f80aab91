// One test command for unit, integration and end-to-end tests. Kafka tests form their own project so the
// broker is started (once, by the project's script) only for them.
import { defineConfig } from 'vitest/config';
import TimingFirstSequencer from './test/support/timingFirstSequencer.js';

const KAFKA_TESTS = 'test/integration/kafka/**/*.test.ts';
const INSTALL_TESTS = 'test/install/**/*.test.ts';
const E2E_TESTS = 'test/e2e/**/*.test.ts';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summaryReporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    sequence: { sequencer: TimingFirstSequencer },
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [KAFKA_TESTS, INSTALL_TESTS, E2E_TESTS], sequence: { groupOrder: 0 } } },
      // Group joins take seconds and the fault tests restart brokers and processes; on a loaded CI machine more.
      // They run one file at a time after the main project (groupOrder), alone on the machine: beside the detection
      // tests a scheduler cluster's requests reached llm-sim up to 150 ms after their slot, past its jitter budget.
      {
        extends: true,
        test: { name: 'kafka', include: [KAFKA_TESTS], globalSetup: ['./test/support/kafkaGlobalSetup.ts'], fileParallelism: false, testTimeout: 150_000, sequence: { groupOrder: 1 } },
      },
      // Real Chromium against a real server and pipeline: after the others, so the browser has the CPU to itself.
      { extends: true, test: { name: 'e2e', include: [E2E_TESTS], fileParallelism: false, testTimeout: 120_000, sequence: { groupOrder: 2 } } },
      // The README's main command on a fresh copy of the checkout, as a new user runs it: an npm ci of its own and
      // the default port 8080, so it runs last and alone.
      { extends: true, test: { name: 'install', include: [INSTALL_TESTS], fileParallelism: false, testTimeout: 1_200_000, sequence: { groupOrder: 3 } } },
    ],
  },
});
