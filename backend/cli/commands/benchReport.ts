// How every `tcr bench` reports: one figure per line on stdout, and the same as JSON when asked.
import { writeFileSync } from 'node:fs';

export function report(figures: Record<string, unknown>, jsonFile: string | undefined): void {
  for (const [name, value] of Object.entries(figures)) {
    process.stdout.write(`${name.padEnd(20)} ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}\n`);
  }
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(figures, null, 2)}\n`);
}
