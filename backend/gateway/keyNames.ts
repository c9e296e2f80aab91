// The key pool file's keys for the settings view: names and limits only; a key's value never leaves this module.
import { existsSync } from 'node:fs';
import { loadApiKeysConfig, type Env } from '../config/index.js';
import type { SettingsView } from '../contracts/index.js';

export function keyNamesOf(file: string, env: Env): { file: string | null; keys: SettingsView['keys'] } {
  if (!existsSync(file)) return { file: null, keys: [] };
  try {
    const config = loadApiKeysConfig(file, env);
    return { file, keys: config.keys.map((key) => ({ name: key.name, qps_limit: key.qps_limit, rpm_limit: key.rpm_limit })) };
  } catch {
    // A file that does not load is reported where it is used (the scheduler's start); here it has no names to show.
    return { file, keys: [] };
  }
}
