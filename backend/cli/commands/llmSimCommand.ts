// `tcr llm-sim`: runs the OpenAI-compatible simulator until interrupted.
import type { Command } from 'commander';
import { loadConfigFile, apiKeysConfigSchema, type Env } from '../../config/index.js';
import { createLogger } from '../../core/logger.js';
import { generatedKeys, keysFromConfig, simApiKey } from '../../llmsim/simKeys.js';
import { startLlmSim } from '../../llmsim/simServer.js';
import { fraction, list, nonNegativeNumber, port, positiveInt, positiveNumber } from '../optionParsers.js';

interface LlmSimCliOptions {
  host: string;
  port: number;
  latencyMs: number;
  jitterMs: number;
  keyQps?: number;
  keyRpm?: number;
  keys: number;
  keysFile?: string;
  revoked: string[];
  errorRate: number;
  malformedRate: number;
  seed: number;
}

export function registerLlmSimCommand(program: Command, env: Env): void {
  program
    .command('llm-sim')
    .description('OpenAI-compatible LLM simulator enforcing per-key limits (429 + Retry-After, 401, 5xx, malformed output)')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'listen port (0: any free port)', port, 8081)
    .option('--latency-ms <ms>', 'mean response latency', nonNegativeNumber, 800)
    .option('--jitter-ms <ms>', 'latency varies uniformly by ± this much', nonNegativeNumber, 300)
    .option('--key-qps <n>', 'requests per second each key may send (overrides the keys file)', positiveNumber)
    .option('--key-rpm <n>', 'requests per minute each key may send (overrides the keys file)', positiveNumber)
    .option('--keys <n>', 'generate this many keys key-001… with values sk-sim-key-001… (without --keys-file)', positiveInt, 10)
    .option('--keys-file <file>', 'accept the keys of this key pool file, with its limits and accounts')
    .option('--revoked <names>', 'comma-separated key names answered with 401', list, [])
    .option('--error-rate <p>', 'fraction of accepted requests answered 500/503', fraction, 0)
    .option('--malformed-rate <p>', 'fraction of accepted requests answered with broken JSON content', fraction, 0)
    .option('--seed <n>', 'seed of the injected failures and latencies', positiveInt, 1)
    .action(async (options: LlmSimCliOptions) => {
      const logger = createLogger({ level: 'info', format: 'json' }).child({ stage: 'llm-sim' });
      const keys = options.keysFile
        ? keysFromConfig(loadConfigFile(options.keysFile, apiKeysConfigSchema, { env }), { qps: options.keyQps, rpm: options.keyRpm })
        : generatedKeys(options.keys, options.keyQps ?? 5, options.keyRpm ?? 100);
      for (const name of options.revoked) if (!keys.byName.get(name)) throw new Error(`--revoked names unknown key "${name}"`);
      for (const name of options.revoked) keys.byName.get(name)!.revoked = true;
      const sim = await startLlmSim({ ...options, keys, logger });
      const names = [...keys.byName.keys()];
      logger.info({ url: sim.url, keys: names, revoked: options.revoked }, 'llm-sim listening');
      if (!options.keysFile) process.stdout.write(`llm-sim on ${sim.url}/v1; keys ${names[0]}…${names.at(-1)} have values ${simApiKey('<name>')}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await sim.close();
      process.stdout.write(`${JSON.stringify(sim.stats())}\n`);
    });
}
