// `tcr bench agent`: runs on another host of the cluster so that `tcr bench e2e --agent role=URL` can place a role's
// process there (docs/ACCEPTANCE.md, "Running it split over several hosts").
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { AGENT_TOKEN_VARIABLE, startAgent } from '../../bench/e2e/e2eAgent.js';
import { port } from '../optionParsers.js';

interface BenchAgentOptions {
  host: string;
  port: number;
  dir?: string;
}

export function registerBenchAgentCommand(bench: Command): void {
  bench
    .command('agent')
    .description(`serve another host's share of a \`tcr bench e2e\` run (its roles' processes, camera files and faults) until SIGINT/SIGTERM; requires the token in ${AGENT_TOKEN_VARIABLE}`)
    .option('--host <address>', 'listen address (0.0.0.0 for the bench on another host: a management network only)', '127.0.0.1')
    .option('--port <port>', 'listen port (0: any free one)', port, 9400)
    .option('--dir <folder>', "where the runs' folders are made (default: a new temporary folder)")
    .action(async (options: BenchAgentOptions) => {
      const token = process.env[AGENT_TOKEN_VARIABLE];
      if (!token || token.length < 16) throw new InvalidArgumentError(`${AGENT_TOKEN_VARIABLE} must hold a token of 16 characters or more (the bench sends the same)`);
      const agent = await startAgent({ host: options.host, port: options.port, token, baseDir: options.dir ?? mkdtempSync(join(tmpdir(), 'tcr-bench-agent-')), checkoutDir: process.cwd() });
      process.stdout.write(`bench agent on ${agent.url}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      // The runs' processes do not outlive the agent.
      await agent.close();
    });
}
