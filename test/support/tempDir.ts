// Real files in a fresh temp directory per test, removed afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

export interface TempDir {
  path: (name: string) => string;
  write: (name: string, text: string) => string;
}

/** Removed after each test; `useSuiteTempDir` keeps it for the whole describe (a server started in beforeAll). */
export function useTempDir(scope: 'test' | 'suite' = 'test'): TempDir {
  let dir: string | null = null;
  (scope === 'test' ? afterEach : afterAll)(() => {
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

export function useSuiteTempDir(): TempDir {
  return useTempDir('suite');
}
