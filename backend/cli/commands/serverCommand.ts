// `tcr server`: runs the roles of the config headless until SIGINT/SIGTERM, then stops them gracefully.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { AVAILABLE_ROLES, startApp } from '../../app.js';
import { applyCommandLineOverrides, loadAppConfig, ROLES, type Env, type Role } from '../../config/index.js';
import type { DesktopSessionMessage } from '../../contracts/index.js';
import { NotAvailableError } from '../../core/errors.js';
import { createLogger, defaultLogFormat } from '../../core/logger.js';
import { exitAfterStop } from '../exitAfterStop.js';
import { list, port } from '../optionParsers.js';

interface ServerOptions {
  config: string;
  roles?: Role[];
  model?: string;
  camera: string[];
  opsPort?: number;
  logFormat?: 'json' | 'pretty';
}

function parseRoles(raw: string): Role[] {
  const roles = list(raw);
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown role ${unknown.join(', ')} (roles: ${ROLES.join(', ')})`);
  return roles as Role[];
}

/** Inside the desktop app the backend runs as an Electron utility process, which has a port to its parent. */
interface ParentPort {
  postMessage(message: DesktopSessionMessage): void;
}

export function registerServerCommand(program: Command, env: Env): void {
  program
    .command('server')
    .description('run the roles of the config (default: all, on the embedded bus) and the gateway; stops gracefully on SIGINT/SIGTERM')
    .option('--config <file>', 'process config', env.TCR_CONFIG ?? 'config/default.yaml')
    .option('--roles <roles>', 'comma-separated roles, overriding the config', parseRoles)
    .option('--model <file>', 'detector model (ONNX), overriding detector.model.path')
    .option('--camera <name=url>', 'run this camera instead of the configured ones (repeatable): rtsp://…, a video file or an image folder', (value: string, previous: string[]) => [...previous, value], [])
    .option('--ops-port <port>', 'also serve /healthz, /metrics and /metrics/samples on this port (0: any free one) at scheduler.ops.host, for a gateway or Prometheus elsewhere', port)
    .addOption(new Option('--log-format <format>', 'log lines as JSON or readable (default: config log.format)').choices(['json', 'pretty']))
    .action(async (options: ServerOptions) => {
      const loaded = applyCommandLineOverrides(loadAppConfig(options.config, env), { modelPath: options.model, cameras: options.camera });
      const config = options.opsPort === undefined ? loaded : { ...loaded, scheduler: { ...loaded.scheduler, ops: { ...loaded.scheduler.ops, port: options.opsPort } } };
      const format = options.logFormat ?? (config.log.format === 'auto' ? defaultLogFormat(true, process.stderr.isTTY) : config.log.format);
      const logger = createLogger({ level: config.log.level, format });
      const roles = options.roles ?? config.roles;
      if (!roles.some((role) => AVAILABLE_ROLES.includes(role))) throw new NotAvailableError(`roles ${roles.join(', ')}`);
      const app = await startApp(config, roles, logger, { env, configFile: options.config, opsServer: options.opsPort !== undefined });
      // One line on stdout for supervisors and benchmarks, as `tcr scheduler` prints it.
      if (app.opsUrl) process.stdout.write(`server ${config.instance_id} ops on ${app.opsUrl}\n`);
      if (app.gateway) {
        // The URL to open, on stdout for the operator (logs go to stderr); the token stays in its file.
        process.stdout.write(`Traffic Control Room is running: ${app.gateway.url}\nAPI token: \`npx tcr token\` prints it.\n`);
        const parent = (process as unknown as { parentPort?: ParentPort }).parentPort;
        parent?.postMessage({ type: 'gateway-ready', gateway_url: app.gateway.url, token: app.gateway.token, keep_running_on_close: config.desktop.keep_running_on_close });
      }
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      logger.info({ signal }, 'stopping');
      await app.stop();
      logger.info('stopped');
      exitAfterStop();
    });
}
