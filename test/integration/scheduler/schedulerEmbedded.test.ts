// The scheduler role on the embedded bus against llm-sim over real HTTP: what reaches the model, repair and
// fallback, bad crops and deadlines, keys revoked or throttled mid-run, the endpoint gone.
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bus, Subscription } from '../../../backend/bus/bus.js';
import { createBus } from '../../../backend/bus/createBus.js';
import { appConfigSchema, type AppConfig } from '../../../backend/config/index.js';
import { assessmentTaskMessage, deadLetterMessage, decodeMessage, encodeMessage, riskAssessmentResultMessage, type AssessmentTaskMessage, type RiskAssessmentResultMessage } from '../../../backend/contracts/index.js';
import { generatedKeys, simApiKey, simKeyName } from '../../../backend/llmsim/simKeys.js';
import { startLlmSim, type LlmSim } from '../../../backend/llmsim/simServer.js';
import { createSchedulerRole, type SchedulerRole } from '../../../backend/scheduler/schedulerRole.js';
import { captureLogger, taskMessage, waitFor } from '../../support/busFixtures.js';
import { useTempDir } from '../../support/tempDir.js';

const temp = useTempDir();
// A real JPEG (1×1 px): the crop a task carries.
const JPEG = Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDAoLDA0PDhAQERERERIREhMSEhMTExMVFRUVFRUYGBgYGBgYGBgYGBgYGBgYGBgYGBgYGBj/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==', 'base64');

interface Running {
  sim: LlmSim | null;
  bus: Bus;
  role: SchedulerRole;
  config: AppConfig;
  results: RiskAssessmentResultMessage[];
  deadLetters: { code: string; taskId: string }[];
  stop(): Promise<void>;
}

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

async function start(options: { keys?: number; sim?: Partial<Parameters<typeof startLlmSim>[0]>; config?: Record<string, unknown>; llmUrl?: string; noKeyFile?: boolean } = {}): Promise<Running> {
  const keys = options.keys ?? 3;
  const sim = options.llmUrl ? null : await startLlmSim({ host: '127.0.0.1', port: 0, keys: generatedKeys(keys, 20, 1200), latencyMs: 20, jitterMs: 10, errorRate: 0, malformedRate: 0, seed: 3, ...options.sim });
  const env = Object.fromEntries(Array.from({ length: keys }, (_, index) => [`SIM_KEY_${index}`, simApiKey(simKeyName(index))]));
  const keyFile = options.noKeyFile
    ? temp.path('absent.yaml')
    : temp.write('api_keys.yaml', stringify({ max_retry_per_key: 1, keys: Array.from({ length: keys }, (_, index) => ({ name: simKeyName(index), api_key: `\${SIM_KEY_${index}}`, qps_limit: 20, rpm_limit: 1200 })) }));
  const config = appConfigSchema.parse({
    data_dir: temp.path('data'),
    cameras: [{ id: 'cam-001', name: '人民路与解放路交叉口', url: 'file:///dev/null' }],
    ...options.config,
    llm: { base_url: options.llmUrl ?? `${sim!.url}/v1`, api_keys_file: keyFile, timeout_ms: 2000, ...(options.config?.llm as object | undefined) },
  });
  const { logger } = captureLogger();
  const bus = createBus(config, logger);
  const role = createSchedulerRole(config, bus, env, logger);
  const results: RiskAssessmentResultMessage[] = [];
  const deadLetters: { code: string; taskId: string }[] = [];
  const subscriptions: Subscription[] = [await role.scheduler.start()];
  subscriptions.push(
    await bus.subscribe({ group: 'test-results', topic: config.kafka.topics.risk_assessment_results.name, schema: riskAssessmentResultMessage, stage: 'test', handle: async (result) => void results.push(result) }),
    await bus.subscribe({
      group: 'test-dlq',
      topic: config.kafka.topics.dlq.name,
      schema: deadLetterMessage,
      stage: 'test',
      handle: async (letter) => {
        const original = JSON.parse(Buffer.from(letter.original.value_b64 ?? '', 'base64').toString('utf8')) as { task_id: string };
        deadLetters.push({ code: letter.error.code, taskId: original.task_id });
      },
    }),
  );
  running = {
    sim,
    bus,
    role,
    config,
    results,
    deadLetters,
    async stop() {
      for (const subscription of subscriptions) await subscription.stop(5000);
      role.close();
      await bus.close();
      await sim?.close();
    },
  };
  return running;
}

function task(index: number, overrides: Partial<AssessmentTaskMessage> = {}): AssessmentTaskMessage {
  const now = Date.now();
  return { ...taskMessage(index), captured_at_ms: now, created_at_ms: now, deadline_ms: now + 60_000, crop_jpeg_b64: JPEG.toString('base64'), ...overrides };
}

async function send(run: Running, tasks: AssessmentTaskMessage[]): Promise<void> {
  const messages = tasks.map((one) => {
    const encoded = encodeMessage(assessmentTaskMessage, one);
    if (!encoded.ok) throw new Error(encoded.error.message);
    return { key: one.task_id, value: encoded.value };
  });
  await run.bus.producer().send(run.config.kafka.topics.assessment_tasks.name, messages);
}

const outcomes = (run: Running): number => run.results.length + run.deadLetters.length;

describe('scheduler on the embedded bus, llm-sim as the model', () => {
  it('sends the prompt with camera and features, the crop and the model intact, and writes the verdict with how it was reached', async () => {
    const run = await start();
    const tasks = [task(1), task(2, { crop_jpeg_b64: null })];
    await send(run, tasks);
    await waitFor(() => outcomes(run) === 2, 15_000, 'two verdicts');
    const received = run.sim!.received();
    expect(received).toHaveLength(2);
    const withImage = received.find((request) => request.images.length === 1)!;
    expect(withImage.model).toBe('qwen-vl-plus');
    expect(withImage.images[0]).toEqual({ media_type: 'image/jpeg', bytes: JPEG.length, sha256: createHash('sha256').update(JPEG).digest('hex') });
    expect(withImage.text).toContain('摄像头：人民路与解放路交叉口（cam-001）');
    expect(withImage.text).toContain('行人 × 1，小汽车 × 1');
    expect(withImage.max_tokens).toBe(600);
    expect(received.find((request) => request.images.length === 0)!.text).toContain('本组没有裁剪画面');
    for (const result of run.results) {
      expect(result).toMatchObject({ status: 'ok', language: 'zh-CN', attempts: 1, llm_failure: null, assessor: { type: 'llm', model: 'qwen-vl-plus' } });
      expect(result.assessor.key_name).toMatch(/^key-00\d$/);
      expect(result.tokens).toBeGreaterThan(0);
      expect(result.llm_latency_ms).toBeGreaterThanOrEqual(0);
      expect(result.description).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(run.results.map((result) => result.task_id).sort()).toEqual(tasks.map((one) => one.task_id).sort());
  });

  it('asks once more on a malformed answer, then dead-letters the task as malformed_answer without a fallback', async () => {
    const run = await start({ sim: { malformedRate: 1 }, config: { scheduler: { fallback: 'none' } } });
    await send(run, [task(1), task(2)]);
    await waitFor(() => outcomes(run) === 2, 15_000, 'two dead letters');
    expect(run.deadLetters.map((letter) => letter.code)).toEqual(['malformed_answer', 'malformed_answer']);
    const received = run.sim!.received();
    expect(received).toHaveLength(4);
    expect(received.filter((request) => request.messages === 3)).toHaveLength(2);
  });

  it('gives a rules verdict that says why when the LLM answers badly and the fallback is on', async () => {
    const run = await start({ sim: { malformedRate: 1 } });
    await send(run, [task(1)]);
    await waitFor(() => outcomes(run) === 1, 15_000, 'a verdict');
    expect(run.results[0]).toMatchObject({ status: 'fallback', llm_failure: 'malformed_answer', attempts: 2, assessor: { type: 'rules', key_name: null } });
    expect(run.results[0]!.description).toMatch(/^规则评估/);
  });

  it('dead-letters a crop that is not a JPEG or too large, and a task past its deadline, each with its reason; a deadline years ahead is fine', async () => {
    const run = await start({ config: { scheduler: { fallback: 'none' }, llm: { max_image_bytes: 1000 } } });
    const past = Date.now() - 10_000;
    await send(run, [
      task(1, { crop_jpeg_b64: Buffer.from('GIF89a not a jpeg').toString('base64') }),
      task(2, { crop_jpeg_b64: Buffer.concat([JPEG, Buffer.alloc(2000)]).toString('base64') }),
      task(3, { created_at_ms: past, captured_at_ms: past, deadline_ms: past + 1 }),
      task(4),
      task(5, { deadline_ms: Number.MAX_SAFE_INTEGER }),
    ]);
    await waitFor(() => outcomes(run) === 5, 15_000, 'five outcomes');
    const codes = Object.fromEntries(run.deadLetters.map((letter) => [letter.taskId, letter.code]));
    expect(codes).toEqual({ [task(1).task_id]: 'invalid_crop', [task(2).task_id]: 'crop_too_large', [task(3).task_id]: 'expired' });
    // A deadline 2^53 ms ahead (another team's producer) is just a long one.
    expect(run.results.map((result) => [result.task_id, result.status])).toEqual([[task(4).task_id, 'ok'], [task(5).task_id, 'ok']]);
    expect(run.sim!.received().map((request) => request.images.length)).toEqual([1, 1]);
  });

  it('loses no task when a key is revoked mid-run or every key is throttled for a while', async () => {
    const run = await start({ keys: 3, sim: { latencyMs: 50 } });
    await send(run, Array.from({ length: 20 }, (_, index) => task(index)));
    await waitFor(() => run.results.length >= 5, 15_000, 'the first verdicts');
    run.sim!.revoke('key-001');
    run.sim!.throttle(2500);
    await send(run, Array.from({ length: 20 }, (_, index) => task(100 + index)));
    await waitFor(() => outcomes(run) === 40, 30_000, 'forty verdicts');
    expect(run.deadLetters).toEqual([]);
    expect(run.results.filter((result) => result.status === 'ok' && result.assessor.type === 'llm')).toHaveLength(40);
    expect(new Set(run.results.map((result) => result.task_id)).size).toBe(40);
    expect(run.sim!.stats().totals.throttled).toBeGreaterThan(0);
    expect(run.role.pool!.health().keys.find((key) => key.name === 'key-001')!.state).toBe('disabled');
  });

  it('opens the endpoint circuit when the LLM is unreachable: rules at once with the fallback, expired without', async () => {
    const withFallback = await start({ llmUrl: 'http://127.0.0.1:9/v1', config: { scheduler: { endpoint_failure_threshold: 2 } } });
    await send(withFallback, Array.from({ length: 6 }, (_, index) => task(index)));
    await waitFor(() => outcomes(withFallback) === 6, 20_000, 'six verdicts');
    expect(withFallback.results.every((result) => result.status === 'fallback' && result.assessor.type === 'rules')).toBe(true);
    expect(withFallback.results.some((result) => result.llm_failure === 'endpoint_unreachable')).toBe(true);
    expect(withFallback.role.circuit!.openings).toBeGreaterThan(0);
    await withFallback.stop();
    running = null;

    const without = await start({ llmUrl: 'http://127.0.0.1:9/v1', config: { scheduler: { fallback: 'none', endpoint_failure_threshold: 2, endpoint_open_ms: 500 } } });
    await send(without, [task(1, { deadline_ms: Date.now() + 1500 })]);
    await waitFor(() => outcomes(without) === 1, 20_000, 'a dead letter');
    expect(without.deadLetters).toEqual([{ code: 'expired', taskId: task(1).task_id }]);
  });

  it('assesses by rules alone when no key file exists (the zero-setup default)', async () => {
    const run = await start({ noKeyFile: true });
    expect(run.role.pool).toBeNull();
    await send(run, [task(1)]);
    await waitFor(() => outcomes(run) === 1, 15_000, 'a verdict');
    expect(run.results[0]).toMatchObject({ status: 'ok', attempts: 0, llm_failure: null, tokens: null, assessor: { type: 'rules', model: null } });
    expect(run.sim!.received()).toEqual([]);
    expect(decodeMessage(riskAssessmentResultMessage, JSON.stringify(run.results[0])).ok).toBe(true);
  });
});
