// The results role against the real broker: every verdict stored once across duplicates, a restart and a replay of
// the whole topic, its alert folded once per verdict, and a record that is not a verdict dead-lettered once while
// the rest go on.
import { describe, expect, inject, it } from 'vitest';
import type { Bus } from '../../../backend/bus/bus.js';
import { createKafkaBus } from '../../../backend/bus/kafka/kafkaBus.js';
import { appConfigSchema } from '../../../backend/config/index.js';
import { createTaskId, deadLetterMessage, decodeMessage, encodeMessage, riskAssessmentResultMessage, type RiskAssessmentResultMessage } from '../../../backend/contracts/index.js';
import { openResultStore } from '../../../backend/results/resultStore.js';
import { createResultsStage } from '../../../backend/results/resultsStage.js';
import { resultsSettings } from '../../../backend/results/resultsSettings.js';
import { captureLogger, waitFor } from '../../support/busFixtures.js';
import { createTopics, testKafkaSettings, uniqueName } from '../../support/kafkaFixtures.js';
import { riskResult } from '../../support/messageFixtures.js';
import { useTempDir } from '../../support/tempDir.js';

const broker = inject('kafkaBroker');

function openBus(dlqTopic: string): Bus {
  return createKafkaBus({ settings: testKafkaSettings(broker), dlqTopic, logger: captureLogger().logger, retryPolicy: { attempts: 2, initialDelayMs: 20, maxDelayMs: 20 } });
}

function verdict(i: number): RiskAssessmentResultMessage {
  const camera = `cam-${i % 3}`;
  const frame = `${1_700_000_000_000 + i * 1000}-${i}`;
  return { ...riskResult(), camera_id: camera, frame_id: frame, group_id: 'g1', task_id: createTaskId(camera, frame, 'g1'), captured_at_ms: Date.now() - 1000, assessed_at_ms: Date.now() };
}

function encoded(result: RiskAssessmentResultMessage): { key: string; value: string } {
  const message = encodeMessage(riskAssessmentResultMessage, result);
  if (!message.ok) throw new Error(message.error.message);
  return { key: result.camera_id, value: message.value };
}

describe('results consumer on the real broker', () => {
  const temp = useTempDir();

  it('stores each verdict once across duplicates, a restart and a replay, and dead-letters what is not a verdict', async () => {
    const [topic, dlq] = [uniqueName('results'), uniqueName('dlq')];
    await createTopics(broker, [{ name: topic, partitions: 3 }, { name: dlq, partitions: 1 }]);
    const file = temp.path('data/results.sqlite');
    const verdicts = Array.from({ length: 60 }, (_, i) => verdict(i));
    // The default alert rule (high and above) matches every one of these verdicts.
    const settings = { ...resultsSettings(appConfigSchema.parse({ results: { file } })), group: uniqueName('results'), topic };

    const bus = openBus(dlq);
    const producer = bus.producer();
    // Every verdict twice (a redelivered transaction's output looks like this to a reader), and one poison record.
    await producer.send(topic, verdicts.slice(0, 30).flatMap((result) => [encoded(result), encoded(result)]));
    await producer.send(topic, [{ key: 'cam-0', value: '{"schema_version":1,"task_id":"not a uuid"}' }]);
    const first = createResultsStage(bus, settings);
    let duplicates = 0;
    first.events.on('duplicate', () => (duplicates += 1));
    await first.start();
    await waitFor(() => (first.store()?.count() ?? 0) === 30, 30_000, 'the first 30 verdicts stored');
    await waitFor(() => duplicates === 30, 10_000, 'the 30 duplicates seen');
    await first.stop();

    await producer.send(topic, verdicts.slice(30).map(encoded));
    const second = createResultsStage(bus, settings);
    await second.start();
    await waitFor(() => (second.store()?.count() ?? 0) === 60, 30_000, 'all 60 verdicts stored after the restart');
    await second.stop();

    // A replay of the whole topic by a new group (e.g. after restoring an old backup of the store) adds nothing.
    const replay = createResultsStage(bus, { ...settings, group: uniqueName('results-replay') });
    let replayed = 0;
    replay.events.on('duplicate', () => (replayed += 1));
    await replay.start();
    await waitFor(() => replayed === 90, 30_000, 'the replay to reach the end of the topic');
    expect(replay.store()!.count()).toBe(60);
    await replay.stop();

    const deadLetters: string[] = [];
    const dlqReader = await bus.subscribe({ group: uniqueName('dlq-reader'), topic: dlq, schema: deadLetterMessage, stage: 'test', handle: async (letter) => void deadLetters.push(letter.error.code) });
    await waitFor(() => deadLetters.length >= 2, 20_000, 'the dead letters');
    await dlqReader.stop();
    // One from the first group, one from the replay's: each group gives the poison record exactly one outcome.
    expect(deadLetters).toHaveLength(2);
    await bus.close();

    const store = openResultStore(file);
    for (const result of verdicts) {
      const stored = store.byCamera(result.camera_id, { limit: 1000 }).results.find((entry) => entry.result.task_id === result.task_id);
      expect(stored?.result).toEqual(decodeOk(encoded(result).value));
    }
    // One place per camera, seen 20 times: one alert each with the count of verdicts, not of deliveries.
    const alerts = store.alerts.list({}).alerts;
    expect(alerts.map((alert) => [alert.camera_id, alert.count]).sort()).toEqual([
      ['cam-0', 20],
      ['cam-1', 20],
      ['cam-2', 20],
    ]);
    store.close();
  }, 120_000);
});

function decodeOk(value: string): RiskAssessmentResultMessage {
  const decoded = decodeMessage(riskAssessmentResultMessage, Buffer.from(value));
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}
