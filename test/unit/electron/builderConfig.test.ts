// The installer config, checked by electron-builder's own loader and schema (the packaging itself needs the
// Electron binary, which these machines cannot download), and the files it names, which must exist.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/runTcr.js';

interface BuilderConfig {
  asar: boolean;
  extraResources: { from: string; to: string; filter?: string[] }[];
  win: { target: { target: string; arch: string[] }[]; icon: string };
  linux: { target: { target: string; arch: string[] }[]; icon: string };
  directories: { buildResources: string };
}

const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

describe('electron > installer config', () => {
  it('passes electron-builder\'s schema and asks for NSIS x64, AppImage and deb x64', async () => {
    const config = await getConfig(repoRoot, 'electron-builder.yml', null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.linux.target).toEqual([{ target: 'AppImage', arch: ['x64'] }, { target: 'deb', arch: ['x64'] }]);
    // A misspelled option is refused, so the check above means something.
    await expect(validateConfiguration({ ...config, asarr: false }, new DebugLogger(false))).rejects.toThrow(/unknown property 'asarr'/);
  });

  it('ships resources/ and the config folder, and its icons exist at a size both platforms accept', async () => {
    const config = await getConfig(repoRoot, 'electron-builder.yml', null);
    expect(config.extraResources.map((entry) => [entry.from, entry.to])).toEqual([['resources', 'resources'], ['config', 'config']]);
    for (const entry of config.extraResources) expect(existsSync(join(repoRoot, entry.from)), entry.from).toBe(true);
    for (const icon of [config.win.icon, config.linux.icon]) {
      const { width, height } = await sharp(join(repoRoot, icon)).metadata();
      expect([width, height], icon).toEqual([512, 512]);
    }
    expect(existsSync(join(repoRoot, config.directories.buildResources, 'tray.png'))).toBe(true);
  });
});
