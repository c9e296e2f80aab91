// What a first start relies on without a network: the default config finds the bundled model (its hash checked)
// and the demo video, wherever resources/ sits, and every bundled file carries its licence notice.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../../backend/config/index.js';
import { ensureModelFile, fileSha256 } from '../../../backend/detection/detector/modelFile.js';
import { repoRoot } from '../../support/runTcr.js';

const resources = join(repoRoot, 'resources');

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [relative(resources, join(folder, entry.name))],
  );
}

describe('resources > what the app ships for a first start', () => {
  it('the default config uses the bundled model, checked by its hash, and loops the bundled demo video; TCR_RESOURCES moves both', async () => {
    const config = loadAppConfig(join(repoRoot, 'config/default.yaml'), {});
    expect(config.detector.model).toMatchObject({ path: 'resources/models/yolox_nano.onnx', download_url: null });
    expect(config.detector.model.sha256).toBe(await fileSha256(join(repoRoot, config.detector.model.path)));
    await expect(ensureModelFile({ path: join(repoRoot, config.detector.model.path), sha256: config.detector.model.sha256, downloadUrl: null })).resolves.toBeUndefined();
    expect(config.cameras).toEqual([expect.objectContaining({ id: 'demo', url: 'resources/demo/street-demo.mp4', loop: true, enabled: true })]);
    expect(existsSync(join(repoRoot, config.cameras[0]!.url))).toBe(true);

    const installed = loadAppConfig(join(repoRoot, 'config/default.yaml'), { TCR_RESOURCES: '/opt/Traffic Control Room/resources/resources' });
    expect(installed.detector.model.path).toBe('/opt/Traffic Control Room/resources/resources/models/yolox_nano.onnx');
    expect(installed.cameras[0]!.url).toBe('/opt/Traffic Control Room/resources/resources/demo/street-demo.mp4');
  });

  it('NOTICE.md names every bundled file and every licence text it cites exists', () => {
    const notice = readFileSync(join(resources, 'NOTICE.md'), 'utf8');
    const bundled = filesUnder(resources).filter((file) => !['README.md', 'NOTICE.md'].includes(file) && !file.startsWith('licenses/'));
    expect(bundled.sort()).toEqual(['demo/street-demo.mp4', 'icons/icon.png', 'icons/tray.png', 'icons/tray@2x.png', 'models/yolox_nano.onnx', 'models/yolox_nano_320.onnx']);
    for (const file of bundled) expect(notice, file).toContain(`\`${file}\``);
    const cited = [...notice.matchAll(/`(licenses\/[^`]+)`/g)].map((match) => match[1]!);
    expect(new Set(cited).size).toBeGreaterThanOrEqual(4);
    for (const licence of cited) expect(existsSync(join(resources, licence)), licence).toBe(true);
    expect(filesUnder(join(resources, 'licenses')).sort()).toEqual([...new Set(cited)].sort());
  });
});
