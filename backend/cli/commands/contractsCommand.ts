// `tcr contracts export <dir>`: writes the JSON Schema of every wire message for producers in other languages.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { messageJsonSchemaFiles } from '../../contracts/index.js';

export function registerContractsCommand(program: Command): void {
  program
    .command('contracts')
    .description('wire-message contracts')
    .command('export')
    .description('write <Message>.schema.json (JSON Schema 2020-12) for every wire message')
    .argument('<dir>', 'output directory, e.g. docs/contracts')
    .action((dir: string) => {
      mkdirSync(dir, { recursive: true });
      for (const [name, text] of messageJsonSchemaFiles()) writeFileSync(join(dir, name), text);
    });
}
