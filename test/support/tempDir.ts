// Real files in a fresh temp directory per test, removed afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

export function useTempDir(): { path: (name: string) => string; write: (name: string, text: string) => string } {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });
  const ensure = (): string => (dir ??= mkdtempSync(join(tmpdir(), 'tcr-test-')));
  return {
    path: (name) => join(ensure(), name),
    write: (name, text) => {
      const file = join(ensure(), name);
      writeFileSync(file, text);
      return file;
    },
  };
}
