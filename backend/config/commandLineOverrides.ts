// `tcr server --model … --camera name=url …`: a quick start without editing the config. The overrides are checked
// by the same schema as the file, and a problem names the option it came from.
import { ConfigError } from '../core/errors.js';
import { appConfigSchema, type AppConfig } from './appConfigSchema.js';

export interface CommandLineOverrides {
  modelPath?: string;
  /** `name=url`: the name becomes the camera's id and display name. Given any, they replace the configured cameras. */
  cameras?: readonly string[];
}

export function applyCommandLineOverrides(config: AppConfig, overrides: CommandLineOverrides): AppConfig {
  const cameras = (overrides.cameras ?? []).map((spec) => {
    const split = spec.indexOf('=');
    if (split <= 0 || split === spec.length - 1) throw new ConfigError([{ file: '--camera', path: '', message: `expected name=url, got "${spec}"` }]);
    const id = spec.slice(0, split);
    const url = spec.slice(split + 1);
    // A file is looped so a demo keeps running; a stream is live anyway.
    return { id, name: id, url, loop: !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) };
  });
  const candidate = {
    ...config,
    // The cameras of this run: the default config's demo camera must not run beside the one asked for.
    cameras: cameras.length > 0 ? cameras : config.cameras,
    // A model of the operator's choosing is not the release the configured hash and download belong to.
    detector: overrides.modelPath ? { ...config.detector, model: { ...config.detector.model, path: overrides.modelPath, download_url: null, sha256: null } } : config.detector,
  };
  const parsed = appConfigSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const [section, index] = issue.path;
      const fromCamera = section === 'cameras' && typeof index === 'number' && cameras.length > 0;
      return { file: fromCamera ? `--camera ${overrides.cameras![index]}` : '--model', path: issue.path.slice(fromCamera ? 2 : 0).join('.'), message: issue.message };
    }),
  );
}
