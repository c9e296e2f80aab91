import { renameSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadApiKeysConfig } from '../../../backend/config/index.js';
import type { ConfigError } from '../../../backend/core/errors.js';
import { createLogger } from '../../../backend/core/logger.js';
import { watchKeyFile, type KeyFileWatcher } from '../../../backend/keypool/keyFileWatcher.js';
import { createKeyPool } from '../../../backend/keypool/keyPool.js';
import { useTempDir } from '../../support/tempDir.js';

const env = { K1: 'sk-test-one-11111111', K2: 'sk-test-two-22222222', K3: 'sk-test-three-3333333' };
const file = (keys: string[]): string =>
  `keys:\n${keys.map((name, index) => `  - name: ${name}\n    api_key: \${K${index + 1}}\n    qps_limit: 5\n    rpm_limit: 100\n`).join('')}`;

let watcher: KeyFileWatcher | null = null;
afterEach(() => watcher?.close());

describe('keypool > keyFileWatcher (real files)', () => {
  const temp = useTempDir();

  function nextReload(): { promise: Promise<ConfigError | null>; onReload: (error: ConfigError | null) => void } {
    let resolve: (error: ConfigError | null) => void = () => undefined;
    const handler = { promise: new Promise<ConfigError | null>((r) => (resolve = r)), onReload: (error: ConfigError | null) => resolve(error) };
    return handler;
  }

  it('applies an edited key file, including one replaced by rename, and refuses a broken one', async () => {
    const path = temp.write('api_keys.yaml', file(['a', 'b']));
    const pool = createKeyPool(loadApiKeysConfig(path, env));
    const logs = new PassThrough();
    let logged = '';
    logs.on('data', (chunk: Buffer) => (logged += chunk.toString()));
    let pending = nextReload();
    watcher = watchKeyFile({ file: path, env, pool, logger: createLogger({ level: 'info', format: 'json', destination: logs }), onReload: (error) => pending.onReload(error), debounceMs: 50 });

    writeFileSync(path, file(['a', 'b', 'c']));
    expect(await pending.promise).toBeNull();
    expect(pool.health().keys.map((key) => key.name)).toEqual(['a', 'b', 'c']);

    pending = nextReload();
    const replacement = temp.write('api_keys.yaml.tmp', file(['a']));
    renameSync(replacement, path);
    expect(await pending.promise).toBeNull();
    expect(pool.health().keys.map((key) => key.name)).toEqual(['a']);

    pending = nextReload();
    writeFileSync(path, 'keys:\n  - name: a\n    api_key: ${K1}\n    qps_limt: 5\n');
    const refused = await pending.promise;
    expect(refused?.message).toMatch(/qps_limt: unknown field/);
    expect(pool.health().keys.map((key) => key.name)).toEqual(['a']);
    expect(logged).toContain('key file refused');
    expect(logged).not.toContain('sk-test-one-11111111');
    pool.close();
  });
});
