// Where the desktop app's backend runs: the checkout as `npm start` does, or an installation's read-only folder
// with config and data in the user's folder, made once from the bundled default.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendLayout, ensureConfigFile } from '../../../electron/desktopLayout.js';
import { useTempDir } from '../../support/tempDir.js';

describe('electron > backend layout', () => {
  const temp = useTempDir();

  it('in a checkout runs in the repository with its default config and resources', () => {
    expect(backendLayout({ isPackaged: false, appPath: '/src/tcr', resourcesPath: '/x', userData: '/home/op/.config/tcr' }, null)).toEqual({
      cwd: '/src/tcr',
      configFile: '/src/tcr/config/default.yaml',
      bundledConfigDir: '/src/tcr/config',
      resourcesDir: '/src/tcr/resources',
      env: {},
    });
  });

  it('installed, runs in the user folder, points the backend at the bundled resources, and honours --config=', () => {
    const places = { isPackaged: true, appPath: '/opt/TCR/resources/app', resourcesPath: '/opt/TCR/resources', userData: '/home/op/.config/tcr' };
    expect(backendLayout(places, null)).toEqual({
      cwd: '/home/op/.config/tcr',
      configFile: '/home/op/.config/tcr/config/default.yaml',
      bundledConfigDir: '/opt/TCR/resources/config',
      resourcesDir: '/opt/TCR/resources/resources',
      env: { TCR_RESOURCES: '/opt/TCR/resources/resources' },
    });
    expect(backendLayout(places, '/etc/tcr/site.yaml').configFile).toBe('/etc/tcr/site.yaml');
  });

  it('copies the bundled config folder at the first start only, so an operator\'s edits survive later starts', () => {
    const install = temp.path('install');
    mkdirSync(join(install, 'config', 'prompts'), { recursive: true });
    writeFileSync(join(install, 'config', 'default.yaml'), 'instance_id: bundled\n');
    writeFileSync(join(install, 'config', 'prompts', 'risk_assessment.zh-CN.md'), '评估');
    const layout = backendLayout({ isPackaged: true, appPath: join(install, 'app'), resourcesPath: install, userData: temp.path('user') }, null);
    expect(ensureConfigFile(layout)).toBe('created');
    expect(readFileSync(layout.configFile, 'utf8')).toBe('instance_id: bundled\n');
    // The config's relative paths (prompts, keys file) resolve against the working directory.
    expect(readFileSync(join(layout.cwd, 'config', 'prompts', 'risk_assessment.zh-CN.md'), 'utf8')).toBe('评估');
    writeFileSync(layout.configFile, 'instance_id: edited\n');
    expect(ensureConfigFile(layout)).toBe('existing');
    expect(readFileSync(layout.configFile, 'utf8')).toBe('instance_id: edited\n');
  });
});
