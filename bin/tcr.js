#!/usr/bin/env node
// Runs the TypeScript sources through tsx in a checkout (no build step needed), the compiled code otherwise.
import { existsSync } from 'node:fs';

const source = new URL('../backend/cli/index.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/backend/cli/index.js', import.meta.url).href);
}
