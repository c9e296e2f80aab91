// `tcr token`: prints the gateway's API token (the configured one, or the one kept in data_dir, created if none yet).
import type { Command } from 'commander';
import { loadAppConfig, type Env } from '../../config/index.js';
import { ensureGatewayToken } from '../../gateway/gatewayToken.js';

export function registerTokenCommand(program: Command, env: Env): void {
  program
    .command('token')
    .description("print the gateway's API token (for scripts: curl -H \"Authorization: Bearer $(npx tcr token)\" …)")
    .option('--config <file>', 'process config', env.TCR_CONFIG ?? 'config/default.yaml')
    .action((options: { config: string }) => {
      process.stdout.write(`${ensureGatewayToken(loadAppConfig(options.config, env)).token}\n`);
    });
}
