import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureModelFile, fileSha256 } from '../../../backend/detection/detector/modelFile.js';
import { SHARED_MODEL_SHA256, modelPath } from '../../support/sharedData.js';
import { useTempDir } from '../../support/tempDir.js';

describe('detection > modelFile (first-run download from a local HTTP server, never the network)', () => {
  const temp = useTempDir();
  let server: Server;
  let base: string;
  let requests = 0;
  beforeAll(async () => {
    const model = readFileSync(modelPath);
    server = createServer((req, res) => {
      requests++;
      if (req.url === '/releases/yolox_nano.onnx') res.end(model);
      else if (req.url === '/moved') res.writeHead(302, { location: '/releases/yolox_nano.onnx' }).end();
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('pins the hash of the shared copy that the tests use', async () => {
    expect(await fileSha256(modelPath)).toBe(SHARED_MODEL_SHA256);
  });

  it('downloads a missing model through a redirect, checks its hash, and does not download it again', async () => {
    const path = temp.path('models/yolox_nano.onnx');
    await ensureModelFile({ path, sha256: SHARED_MODEL_SHA256, downloadUrl: `${base}/moved` });
    expect(await fileSha256(path)).toBe(SHARED_MODEL_SHA256);
    const before = requests;
    await ensureModelFile({ path, sha256: SHARED_MODEL_SHA256, downloadUrl: `${base}/moved` });
    expect(requests).toBe(before);
  });

  it('keeps nothing of a download whose hash is wrong, and says which hash it got', async () => {
    const path = temp.path('models/yolox_nano.onnx');
    const wrong = '0'.repeat(64);
    await expect(ensureModelFile({ path, sha256: wrong, downloadUrl: `${base}/releases/yolox_nano.onnx` })).rejects.toMatchObject({
      code: 'model_download',
      message: expect.stringContaining(`has sha256 ${SHARED_MODEL_SHA256}, expected ${wrong}`),
    });
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.download`)).toBe(false);
  });

  it('reports an HTTP failure with the URL, and a missing model without a URL', async () => {
    await expect(ensureModelFile({ path: temp.path('m.onnx'), sha256: SHARED_MODEL_SHA256, downloadUrl: `${base}/nothing` })).rejects.toThrow(/HTTP 404/);
    await expect(ensureModelFile({ path: temp.path('m.onnx'), sha256: null, downloadUrl: null })).rejects.toMatchObject({ code: 'model_missing' });
  });

  it('refuses a model file that is not the configured one', async () => {
    const path = temp.write('other.onnx', 'x');
    writeFileSync(path, 'something else');
    await expect(ensureModelFile({ path, sha256: SHARED_MODEL_SHA256, downloadUrl: null })).rejects.toMatchObject({ code: 'model_invalid' });
  });
});
