// Loading the two config files: the process config and the key pool file.
import { knownSecrets } from '../core/redact.js';
import { apiKeysConfigSchema, type ApiKeysConfig } from './apiKeysSchema.js';
import { appConfigSchema, type AppConfig } from './appConfigSchema.js';
import type { Env } from './envSubstitution.js';
import { loadConfigFile } from './loadConfigFile.js';

export * from './apiKeysSchema.js';
export * from './alertsSchema.js';
export * from './appConfigSchema.js';
export * from './conflictSchema.js';
export type { Env } from './envSubstitution.js';
export { loadConfigFile, parseConfigText } from './loadConfigFile.js';
export { applyCommandLineOverrides, type CommandLineOverrides } from './commandLineOverrides.js';

export function loadAppConfig(file: string, env: Env): AppConfig {
  const config = loadConfigFile(file, appConfigSchema, { env });
  if (config.kafka.sasl) knownSecrets.add(config.kafka.sasl.password);
  if (config.gateway.token) knownSecrets.add(config.gateway.token);
  return config;
}

/** Loads the key pool file and registers every key with the log scrubber before anything can log it. */
export function loadApiKeysConfig(file: string, env: Env): ApiKeysConfig {
  const config = loadConfigFile(file, apiKeysConfigSchema, { env });
  for (const key of config.keys) knownSecrets.add(key.api_key);
  return config;
}
