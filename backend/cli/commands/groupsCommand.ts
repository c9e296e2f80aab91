// `tcr groups --tracks <file.jsonl>`: a recorded track sequence through group analysis and the conflict
// measures, one JSON line out per frame in, so thresholds can be tuned on recorded traffic.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { InvalidArgumentError, type Command } from 'commander';
import { appConfigSchema, loadAppConfig, type Env } from '../../config/index.js';
import { cameraPipelineSettings } from '../../detection/detectionSettings.js';
import { recordedFrame, TrackReplay } from '../../detection/groups/trackReplay.js';

interface GroupsOptions {
  tracks: string;
  config?: string;
  camera?: string;
}

/** Problems are reported for this many lines; the rest are counted. */
const MAX_REPORTED = 20;

export function registerGroupsCommand(program: Command, env: Env): void {
  program
    .command('groups')
    .description('replay recorded tracks (JSON lines: {"t_ms", "width", "height", "tracks": [{"track_id", "class", "box"}]}) through group analysis; prints each frame\'s groups with their conflict measures')
    .requiredOption('--tracks <file>', 'JSON lines file of frames ("-": standard input)')
    .option('--config <file>', 'process config for group and conflict settings (none: the built-in defaults)', env.TCR_CONFIG)
    .option('--camera <id>', "use this configured camera's calibration")
    .action(async (options: GroupsOptions) => {
      const config = options.config ? loadAppConfig(options.config, env) : appConfigSchema.parse({});
      const camera = options.camera === undefined ? null : config.cameras.find((candidate) => candidate.id === options.camera);
      if (camera === undefined) throw usageError(`no camera "${options.camera}" in ${options.config ?? 'the default config'}`);
      const replay = new TrackReplay(cameraPipelineSettings(camera?.id ?? 'replay', config, camera?.calibration ?? null));
      if (options.tracks !== '-' && !existsSync(options.tracks)) throw usageError(`${options.tracks}: no such file`);
      const input = options.tracks === '-' ? process.stdin : createReadStream(options.tracks);
      // `tcr groups … | head`: a reader that stops early is not an error.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? process.exit(0) : undefined));
      let [lineNumber, skipped] = [0, 0];
      const skip = (message: string): void => {
        if (++skipped <= MAX_REPORTED) process.stderr.write(`${options.tracks}:${lineNumber}: ${message}\n`);
      };
      for await (const line of createInterface({ input, crlfDelay: Infinity })) {
        lineNumber++;
        if (line.trim() === '') continue;
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          skip('not JSON');
          continue;
        }
        const parsed = recordedFrame.safeParse(raw);
        if (!parsed.success) {
          skip(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(line)'}: ${issue.message}`).join('; '));
          continue;
        }
        try {
          process.stdout.write(`${JSON.stringify({ t_ms: parsed.data.t_ms, groups: replay.frame(parsed.data) })}\n`);
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          skip(error.message);
        }
      }
      if (skipped > 0) throw usageError(`${skipped} of ${lineNumber} lines skipped`);
    });
}

function usageError(message: string): InvalidArgumentError {
  process.stderr.write(`tcr groups: ${message}\n`);
  return new InvalidArgumentError(message);
}
