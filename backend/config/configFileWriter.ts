// Writes a config file whole or not at all: the new text goes to a temporary file beside it, which is renamed
// over the old one; the previous text is kept as <file>.bak for an operator undoing a change by hand.
import { copyFileSync, existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';

export function writeConfigFile(file: string, text: string): void {
  const temporary = `${file}.saving-${process.pid}`;
  try {
    writeFileSync(temporary, text, { encoding: 'utf8', flag: 'wx' });
    if (existsSync(file)) copyFileSync(file, `${file}.bak`);
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
}
