// Where the desktop app's backend runs and what it reads: in a checkout, the repository as for `npm start`; once
// installed, the app's folder is read-only, so config and data live in the user's data folder and the bundled
// model and demo video are found through TCR_RESOURCES. No electron import: tested under plain Node.
import { cpSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface DesktopPlaces {
  isPackaged: boolean;
  /** app.getAppPath(): the repository, or the app's asar inside the installation. */
  appPath: string;
  /** process.resourcesPath: the installation's resources folder (electron-builder's extraResources). */
  resourcesPath: string;
  /** app.getPath('userData'): writable, per user. */
  userData: string;
}

export interface BackendLayout {
  /** Working directory of the backend: relative paths in the config (data_dir, results file) resolve here. */
  cwd: string;
  configFile: string;
  /** The bundled config folder (default.yaml, prompts, the keys example), copied beside configFile at the first start of an installed app. */
  bundledConfigDir: string;
  /** The bundled files (model, demo video, icons). */
  resourcesDir: string;
  /** Extra environment of the backend. */
  env: Record<string, string>;
}

export function backendLayout(places: DesktopPlaces, configArg: string | null): BackendLayout {
  if (!places.isPackaged) {
    const bundledConfigDir = join(places.appPath, 'config');
    return { cwd: places.appPath, configFile: configArg ?? join(bundledConfigDir, 'default.yaml'), bundledConfigDir, resourcesDir: join(places.appPath, 'resources'), env: {} };
  }
  const resourcesDir = join(places.resourcesPath, 'resources');
  return {
    cwd: places.userData,
    // config/ under the working directory, where the config's own relative paths (prompts, keys file) point.
    configFile: configArg ?? join(places.userData, 'config', 'default.yaml'),
    bundledConfigDir: join(places.resourcesPath, 'config'),
    resourcesDir,
    env: { TCR_RESOURCES: resourcesDir },
  };
}

/** The operator's own config, made from the bundled one once; later starts (and the settings view) use theirs. */
export function ensureConfigFile(layout: BackendLayout): 'created' | 'existing' {
  if (existsSync(layout.configFile)) return 'existing';
  cpSync(layout.bundledConfigDir, dirname(layout.configFile), { recursive: true, force: false, errorOnExist: false });
  return 'created';
}
