// Hot reload of the key pool file: a valid new version is applied to the pool without a restart; an invalid
// one is reported and the pool keeps the keys it has.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { loadApiKeysConfig, type Env } from '../config/index.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { KeyPool } from './keyPool.js';

export interface KeyFileWatcher {
  close(): void;
}

export interface KeyFileWatcherOptions {
  file: string;
  env: Env;
  pool: KeyPool;
  logger: Logger;
  /** Called after each attempt, with the problem when the new file was refused. */
  onReload?: (error: ConfigError | null) => void;
  debounceMs?: number;
}

/** Watches the file's folder, not the file: editors and config management replace files by renaming. */
export function watchKeyFile(options: KeyFileWatcherOptions): KeyFileWatcher {
  const name = basename(options.file);
  let timer: NodeJS.Timeout | null = null;
  const reload = (): void => {
    timer = null;
    try {
      options.pool.reload(loadApiKeysConfig(options.file, options.env));
      options.logger.info({ file: options.file }, 'key file reloaded');
      options.onReload?.(null);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      options.logger.error({ file: options.file, problems: error.problems }, 'key file refused, keeping the previous keys');
      options.onReload?.(error);
    }
  };
  const watcher: FSWatcher = watch(dirname(options.file), (_event, changed) => {
    if (changed !== null && changed !== name) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(reload, options.debounceMs ?? 300);
  });
  watcher.on('error', (error) => options.logger.error({ err: error, file: options.file }, 'key file watch failed'));
  return {
    close: () => {
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
