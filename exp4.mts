import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createKafkaBus } from './backend/bus/kafka/kafkaBus.ts';
import { createLogger } from './backend/core/logger.ts';
import { taskMessage } from './test/support/busFixtures.ts';
import { createTopics, testKafkaSettings, uniqueName } from './test/support/kafkaFixtures.ts';
const broker = '127.0.0.1:9092';
const [input, output, dlq, group] = [uniqueName('in'), uniqueName('out'), uniqueName('dlq'), uniqueName('grp')];
await createTopics(broker, [{ name: input, partitions: 4 }, { name: output, partitions: 2 }, { name: dlq, partitions: 1 }]);
const bus = createKafkaBus({ settings: testKafkaSettings(broker), dlqTopic: dlq, logger: createLogger({ level: 'fatal', format: 'json' }) });
await bus.producer().send(input, Array.from({ length: 600 }, (_, i) => ({ key: `cam-${i % 8}`, value: JSON.stringify(taskMessage(i, `cam-${i % 8}`)) })));
const t0 = Date.now();
let n = 0;
const start = () => new Promise<ChildProcess>((res) => { n++; const log = createWriteStream(`/tmp/worker${n}.log`); const c = spawn(process.execPath, ['--import', 'tsx', 'test/support/workers/kafkaTransformWorker.ts', broker, input, output, dlq, group], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WORKER_LOG_LEVEL: 'debug' } }); c.stderr!.pipe(log); const k = n; c.stdout!.once('data', () => { console.log('worker', k, 'first commit at', (Date.now() - t0) / 1000); res(c); }); });
const kill = (c: ChildProcess) => new Promise<void>((r) => { c.once('exit', () => r()); c.kill('SIGKILL'); });
for (let i = 0; i < 4; i++) { const c = await Promise.race([start(), new Promise<null>(r => setTimeout(() => r(null), 40000))]); if (!c) { console.log('STALL worker', n); break; } await new Promise(r => setTimeout(r, 150)); await kill(c); console.log('killed at', (Date.now() - t0) / 1000, (await bus.lag(group, input)).map(p => p.lag)); }
process.exit(0);
