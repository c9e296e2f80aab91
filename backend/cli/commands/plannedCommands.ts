// Commands whose options are fixed by the architecture but whose stages later milestones deliver.
// Each parses its options (so scripts can be written against them today) and then says plainly it is not built yet.
import type { Command } from 'commander';
import { NotAvailableError } from '../../core/errors.js';

function notYet(what: string): () => never {
  return () => {
    throw new NotAvailableError(what);
  };
}

export function registerPlannedCommands(program: Command): void {
  program
    .command('scheduler')
    .description('run one scheduler instance of the cluster')
    .option('--config <file>', 'API keys file', 'config/api_keys.yaml')
    .option('--workers <n>', 'concurrent assessments', '10')
    .option('--instance-id <id>', 'instance id in metrics and Kafka transactional ids')
    .action(notYet('tcr scheduler'));
}
