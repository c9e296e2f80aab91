// The settings view's API: read what operators may change, save it into the config file (checked by the same
// loader as at start-up; 409 when the file changed since it was read; 422 with each problem at its field; or only
// checked, as a dry run), and test
// a camera URL with one frame through the detector. Saved settings apply at the next start.
import { readFileSync } from 'node:fs';
import { cameraTestRequest, settingsUpdate, type CameraTestResult, type SettingsView } from '../../contracts/index.js';
import { applySettingsUpdate, readSettings, settingsRevision } from '../../config/settingsEdit.js';
import { writeConfigFile } from '../../config/configFileWriter.js';
import type { Env } from '../../config/index.js';
import { ConfigError } from '../../core/errors.js';
import { HttpError, sendJson } from '../../core/httpResponses.js';
import type { Route } from '../routes.js';

export interface SettingsDeps {
  /** The config file this process started from (null: none, so nothing to show or save). */
  configFile: string | null;
  env: Env;
  keys(): { file: string | null; keys: SettingsView['keys'] };
  /** One frame of `url` through the detector; null when this process cannot run one. */
  testCamera: ((url: string) => Promise<CameraTestResult>) | null;
}

const badRequest = (issues: { path: PropertyKey[]; message: string }[]): HttpError =>
  new HttpError(400, issues.map((issue) => `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`).join('; '));

export function settingsRoutes(deps: SettingsDeps): Route[] {
  const fileText = (): { file: string; text: string } => {
    if (deps.configFile === null) throw new HttpError(404, 'this process was not started from a config file');
    try {
      return { file: deps.configFile, text: readFileSync(deps.configFile, 'utf8') };
    } catch (error) {
      throw new HttpError(503, `cannot read ${deps.configFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  };
  let testing = false;
  const parseUpdate = async (body: () => Promise<unknown>) => {
    const parsed = settingsUpdate.safeParse(await body());
    if (!parsed.success) throw badRequest(parsed.error.issues);
    return parsed.data;
  };
  const problemsOf = (error: ConfigError) => error.problems.map(({ path, message }) => ({ path, message }));

  return [
    {
      method: 'GET',
      path: '/api/settings',
      handle: (): SettingsView => {
        const { file, text } = fileText();
        const { file: keysFile, keys } = deps.keys();
        return { file, ...readSettings(file, text, deps.env), keys, keys_file: keysFile };
      },
    },
    {
      // A dry run: the problems a save would meet, as a plain answer (the UI checks before it saves, so an operator's
      // typo is not an HTTP error).
      method: 'POST',
      path: '/api/settings/check',
      handle: async ({ body }) => {
        const update = await parseUpdate(body);
        const { file, text } = fileText();
        try {
          applySettingsUpdate(file, text, update, deps.env);
          return { problems: [] };
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          return { problems: problemsOf(error) };
        }
      },
    },
    {
      method: 'POST',
      path: '/api/settings',
      handle: async ({ body, res }) => {
        const update = await parseUpdate(body);
        const { file, text } = fileText();
        if (update.revision !== settingsRevision(text)) throw new HttpError(409, `${file} was changed since it was read: reload the settings`);
        let next: string;
        try {
          next = applySettingsUpdate(file, text, update, deps.env);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          return void sendJson(res, 422, { error: 'the settings would not load', problems: problemsOf(error) });
        }
        try {
          writeConfigFile(file, next);
        } catch (error) {
          throw new HttpError(503, `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
        }
        return { saved: true, file, revision: settingsRevision(next), restart_required: true };
      },
    },
    {
      method: 'POST',
      path: '/api/settings/camera-test',
      handle: async ({ body }): Promise<CameraTestResult> => {
        const parsed = cameraTestRequest.safeParse(await body());
        if (!parsed.success) throw badRequest(parsed.error.issues);
        if (deps.testCamera === null) throw new HttpError(503, 'this process has no detector to test with');
        // One at a time: a test decodes and runs the model, on the machine that also serves the cameras.
        if (testing) throw new HttpError(429, 'a camera test is running: try again when it is done');
        testing = true;
        try {
          return await deps.testCamera(parsed.data.url);
        } finally {
          testing = false;
        }
      },
    },
  ];
}
