// The gateway token file: one token for processes that start at once, never a half-written file, a loose file
// tightened, a damaged one named.
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { fork } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { appConfigSchema } from '../../../backend/config/index.js';
import { ensureGatewayToken } from '../../../backend/gateway/gatewayToken.js';
import { repoRoot } from '../../support/runTcr.js';
import { useTempDir } from '../../support/tempDir.js';

describe('gateway > token file', () => {
  const temp = useTempDir();

  it('gives processes that start at once on one data_dir the same token, and leaves no draft behind', async () => {
    const dataDir = temp.path('data');
    // Real processes (`tcr token`), eight at once, racing to create the file.
    const tokens = await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          new Promise<string>((resolve, reject) => {
            let out = '';
            const child = fork(`${repoRoot}/bin/tcr.js`, ['token', '--config', temp.write('tcr.yaml', `data_dir: ${dataDir}\n`)], { silent: true });
            child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
            child.on('error', reject);
            child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`exit ${code}`))));
          }),
      ),
    );
    expect(new Set(tokens).size).toBe(1);
    expect(readdirSync(dataDir)).toEqual(['gateway.token']);
    expect(statSync(`${dataDir}/gateway.token`).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('tightens a token file others can read, and names one that holds no token', () => {
    const config = appConfigSchema.parse({ data_dir: temp.path('data') });
    const { token } = ensureGatewayToken(config);
    chmodSync(temp.path('data/gateway.token'), 0o644);
    expect(ensureGatewayToken(config).token).toBe(token);
    expect(statSync(temp.path('data/gateway.token')).mode & 0o777).toBe(0o600);
    writeFileSync(temp.path('data/gateway.token'), 'short\n');
    expect(() => ensureGatewayToken(config)).toThrow(/gateway\.token: not a token .*delete the file/);
  });
});
