import { spawn } from 'node:child_process';
import { createKafkaBus } from './backend/bus/kafka/kafkaBus.ts';
import { createLogger } from './backend/core/logger.ts';
import { taskMessage } from './test/support/busFixtures.ts';
import { createTopics, testKafkaSettings, uniqueName } from './test/support/kafkaFixtures.ts';
const broker = '127.0.0.1:9092';
const [input, output, dlq, group] = [uniqueName('in'), uniqueName('out'), uniqueName('dlq'), uniqueName('grp')];
await createTopics(broker, [{ name: input, partitions: 4 }, { name: output, partitions: 2 }, { name: dlq, partitions: 1 }]);
const bus = createKafkaBus({ settings: testKafkaSettings(broker), dlqTopic: dlq, logger: createLogger({ level: 'error', format: 'json' }) });
await bus.producer().send(input, Array.from({ length: 600 }, (_, i) => ({ key: `cam-${i % 8}`, value: JSON.stringify(taskMessage(i, `cam-${i % 8}`)) })));
const t0 = Date.now();
const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/workers/kafkaTransformWorker.ts', broker, input, output, dlq, group], { stdio: ['ignore', 'pipe', 'inherit'] });
let n = 0;
child.stdout.on('data', (d: Buffer) => { n += d.toString().split('\n').filter(Boolean).length; });
for (let i = 0; i < 20; i++) { await new Promise(r => setTimeout(r, 1000)); const lag = (await bus.lag(group, input)).reduce((s, p) => s + p.lag, 0); console.log(((Date.now()-t0)/1000).toFixed(1), 'commits', n, 'lag', lag); }
child.kill('SIGKILL'); await bus.close(); process.exit(0);
