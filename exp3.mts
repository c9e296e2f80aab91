import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createKafkaBus } from './backend/bus/kafka/kafkaBus.ts';
import { createLogger } from './backend/core/logger.ts';
import { MESSAGE_SCHEMAS } from './backend/contracts/index.ts';
import { taskMessage } from './test/support/busFixtures.ts';
import { createTopics, testKafkaSettings, uniqueName } from './test/support/kafkaFixtures.ts';
const broker = '127.0.0.1:9092';
const [input, output, dlq, group] = [uniqueName('in'), uniqueName('out'), uniqueName('dlq'), uniqueName('grp')];
await createTopics(broker, [{ name: input, partitions: 4 }, { name: output, partitions: 2 }, { name: dlq, partitions: 1 }]);
const bus = createKafkaBus({ settings: testKafkaSettings(broker), dlqTopic: dlq, logger: createLogger({ level: 'fatal', format: 'json' }) });
await bus.producer().send(input, Array.from({ length: 600 }, (_, i) => ({ key: `cam-${i % 8}`, value: JSON.stringify(taskMessage(i, `cam-${i % 8}`)) })));
const start = () => new Promise<ChildProcess>((res) => { const c = spawn(process.execPath, ['--import', 'tsx', 'test/support/workers/kafkaTransformWorker.ts', broker, input, output, dlq, group], { stdio: ['ignore', 'pipe', 'inherit'] }); c.stdout!.once('data', () => res(c)); });
const kill = (c: ChildProcess) => new Promise<void>((r) => { c.once('exit', () => r()); c.kill('SIGKILL'); });
for (let i = 0; i < 3; i++) { const c = await start(); await new Promise(r => setTimeout(r, 150)); await kill(c); const l = await bus.lag(group, input); console.log('killed; lag', l.map(p => p.lag + '@' + p.committed)); if (l.every(p => p.lag === 0)) break; }
const c = (await bus.lag(group, input)).every(p => p.lag === 0) ? null : await start();
for (;;) { await new Promise(r => setTimeout(r, 1000)); const lag = (await bus.lag(group, input)); if (lag.every(p => p.lag === 0)) break; }
if (c) await kill(c);
const outs: string[] = [];
const reader = uniqueName('reader');
await bus.subscribe({ group: reader, topic: output, schema: MESSAGE_SCHEMAS.AssessmentTaskMessage, stage: 'r', concurrency: 1, handle: async (m, rec) => void outs.push(`${m.frame_id} p${rec.partition}@${rec.offset}`) });
await new Promise(r => setTimeout(r, 8000));
const frames = outs.map(o => o.split(' ')[0]);
console.log('outputs', outs.length, 'unique', new Set(frames).size);
writeFileSync('/tmp/outs.txt', outs.join('\n'));
writeFileSync('/tmp/outtopic.txt', output);
process.exit(0);
