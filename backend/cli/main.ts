// The `tcr` command line: one program, one place that maps failures to exit codes and reads the environment.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { AppError, ConfigError, NotAvailableError, ReportedFailure } from '../core/errors.js';
import type { Env } from '../config/index.js';
import { registerBenchCommand } from './commands/benchCommand.js';
import { registerConfigCommand } from './commands/configCommand.js';
import { registerDetectCommand } from './commands/detectCommand.js';
import { registerGroupsCommand } from './commands/groupsCommand.js';
import { registerContractsCommand } from './commands/contractsCommand.js';
import { registerLlmSimCommand } from './commands/llmSimCommand.js';
import { registerModelCommand } from './commands/modelCommand.js';
import { registerMonitoringCommand } from './commands/monitoringCommand.js';
import { registerSchedulerCommand } from './commands/schedulerCommand.js';
import { registerServerCommand } from './commands/serverCommand.js';
import { registerSetupKafkaCommand } from './commands/setupKafkaCommand.js';
import { registerTokenCommand } from './commands/tokenCommand.js';
import { EXIT_FAILURE, EXIT_INVALID_INPUT, EXIT_NOT_AVAILABLE, EXIT_OK } from './exitCodes.js';

export function createProgram(env: Env): Command {
  const program = new Command('tcr')
    .description('Traffic Control Room: camera detection, LLM risk assessment and alerts')
    .version('0.1.0')
    .exitOverride()
    .showSuggestionAfterError(true);
  registerConfigCommand(program, env);
  registerContractsCommand(program);
  registerLlmSimCommand(program, env);
  registerBenchCommand(program);
  registerSetupKafkaCommand(program, env);
  registerDetectCommand(program, env);
  registerGroupsCommand(program, env);
  registerServerCommand(program, env);
  registerSchedulerCommand(program, env);
  registerTokenCommand(program, env);
  registerMonitoringCommand(program, env);
  registerModelCommand(program);
  return program;
}

/** Runs the CLI and returns the exit code; never throws (a bug is reported as a failure with its stack). */
export async function runCli(argv: readonly string[], env: Env): Promise<number> {
  try {
    await createProgram(env).parseAsync([...argv]);
    return EXIT_OK;
  } catch (error) {
    // A command's own usage check (thrown from its action): commander prints only what it found itself.
    if (error instanceof InvalidArgumentError) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_INVALID_INPUT;
    }
    if (error instanceof CommanderError) {
      // commander has already printed the usage problem (or the help/version it was asked for).
      return error.exitCode === 0 ? EXIT_OK : EXIT_INVALID_INPUT;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`invalid config:\n${error.message}\n`);
      return EXIT_INVALID_INPUT;
    }
    if (error instanceof ReportedFailure) return EXIT_FAILURE;
    if (error instanceof NotAvailableError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_NOT_AVAILABLE;
    }
    if (error instanceof AppError) {
      process.stderr.write(`${error.code}: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_FAILURE;
  }
}
