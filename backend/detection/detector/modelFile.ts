// Makes sure the model file is there and is the one configured: checks its hash, or fetches it on first run.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DetectorError } from './detectorError.js';

export interface ModelFileSettings {
  path: string;
  sha256: string | null;
  downloadUrl: string | null;
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Resolves when `path` holds the model; downloads it first when it is missing and a URL is configured. */
export async function ensureModelFile(settings: ModelFileSettings, signal?: AbortSignal): Promise<void> {
  const { path, sha256, downloadUrl } = settings;
  if (!existsSync(path)) {
    if (downloadUrl === null || sha256 === null) {
      throw new DetectorError('model_missing', `model file ${path} does not exist (set detector.model.download_url and sha256 to fetch it on first run)`);
    }
    await downloadModel(downloadUrl, path, sha256, signal);
    return;
  }
  if (sha256 !== null) {
    const actual = await fileSha256(path);
    if (actual !== sha256) throw new DetectorError('model_invalid', `model file ${path} has sha256 ${actual}, expected ${sha256} (detector.model.sha256)`);
  }
}

/** Writes beside the target and renames only after the hash matched, so a broken download never looks like a model. */
async function downloadModel(url: string, path: string, sha256: string, signal?: AbortSignal): Promise<void> {
  const partial = `${path}.download`;
  mkdirSync(dirname(path), { recursive: true });
  try {
    const response = await fetch(url, { signal: signal ?? AbortSignal.timeout(300_000), redirect: 'follow' });
    if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
    const hash = createHash('sha256');
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
    body.on('data', (chunk: Buffer) => hash.update(chunk));
    await pipeline(body, createWriteStream(partial));
    const actual = hash.digest('hex');
    if (actual !== sha256) throw new Error(`downloaded file has sha256 ${actual}, expected ${sha256}`);
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new DetectorError('model_download', `could not fetch the model ${path} from ${url}: ${reason}`, { cause: error, retriable: true });
  }
}
