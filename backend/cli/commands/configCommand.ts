// `tcr config check <file>…` and `tcr config docs <out>`: validate config files, print them normalized and masked.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import { parseDocument, stringify } from 'yaml';
import { apiKeysConfigSchema, appConfigSchema, loadConfigFile, type Env } from '../../config/index.js';
import { renderConfigDocs } from '../../config/configDocs.js';
import { ConfigError, type ConfigProblem } from '../../core/errors.js';
import { redactDeep } from '../../core/redact.js';

export type ConfigKind = 'app' | 'api-keys';

/** A keys file has top-level `keys`; anything else is a process config. Read leniently: errors come later. */
export function detectConfigKind(file: string): ConfigKind {
  if (/api[_-]?keys/i.test(basename(file))) return 'api-keys';
  try {
    const value: unknown = parseDocument(readFileSync(file, 'utf8')).toJS();
    if (value !== null && typeof value === 'object' && 'keys' in value) return 'api-keys';
  } catch {
    // Unreadable or not YAML: loadConfigFile reports it with file and line; the kind does not matter then.
  }
  return 'app';
}

function checkFile(file: string, kind: ConfigKind, env: Env): string {
  const schema = kind === 'api-keys' ? apiKeysConfigSchema : appConfigSchema;
  const config: unknown = loadConfigFile(file, schema, { env });
  return stringify(redactDeep(config));
}

export function registerConfigCommand(program: Command, env: Env): void {
  const config = program.command('config').description('validate and document config files');
  config
    .command('check')
    .description('validate config files and print them normalized, with every secret masked (exit 2 if any is invalid)')
    .argument('<files...>', 'config files (process config or API keys file)')
    .addOption(new Option('--kind <kind>', 'which schema to check against').choices(['auto', 'app', 'api-keys']).default('auto'))
    .action((files: string[], options: { kind: string }) => {
      const problems: ConfigProblem[] = [];
      for (const file of files) {
        const kind = options.kind === 'auto' ? detectConfigKind(file) : (options.kind as ConfigKind);
        try {
          const normalized = checkFile(file, kind, env);
          process.stdout.write(`# ${file}: valid ${kind} config\n${normalized}`);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          problems.push(...error.problems);
        }
      }
      if (problems.length > 0) throw new ConfigError(problems);
    });
  config
    .command('docs')
    .description('write docs/CONFIG.md from the config schemas')
    .argument('<out>', 'output Markdown file')
    .action((out: string) => {
      writeFileSync(out, renderConfigDocs());
    });
}
