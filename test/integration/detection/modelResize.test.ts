// `tcr model resize` on the shared detector: the capacity profile's model loads, runs and still finds the
// strong traffic references on the shared photos; a bad size or a file that is not a model is refused.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appConfigSchema } from '../../../backend/config/index.js';
import { iou } from '../../../backend/core/boxGeometry.js';
import { createDetector } from '../../../backend/detection/detector/detector.js';
import { detectorSettings } from '../../../backend/detection/detectionSettings.js';
import { readImageFrame } from '../../../backend/detection/imageFile.js';
import { parseFields } from '../../../backend/detection/model/protoFields.js';
import { repoRoot, runTcr } from '../../support/runTcr.js';
import { EXPECTED, image, modelPath } from '../../support/sharedData.js';
import { useTempDir } from '../../support/tempDir.js';

describe('detection > tcr model resize (real model)', () => {
  const temp = useTempDir();

  it('makes a 320 model that loads, keeps every weight, and finds the strong references on the shared photos', async () => {
    const out = temp.path('yolox_nano_320.onnx');
    const run = await runTcr(['model', 'resize', '--input-size', '320', modelPath, out], {}, 60_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('input [1,3,320,320] (was 416), output [1,2100,85]');
    // Same weights: the initializers (graph field 5) are byte for byte those of the original.
    const initializers = (file: string) => parseFields(parseFields(readFileSync(file)).find((field) => field.number === 7)!.value).filter((field) => field.number === 5).map((field) => field.value.toString('base64'));
    expect(initializers(out)).toEqual(initializers(modelPath));
    // The capacity profile shipped in resources/ is exactly what the command makes of the shipped model.
    const shipped = await runTcr(['model', 'resize', '--input-size', '320', join(repoRoot, 'resources/models/yolox_nano.onnx'), temp.path('shipped.onnx')], {}, 60_000);
    expect(shipped.code, shipped.stderr).toBe(0);
    expect(readFileSync(temp.path('shipped.onnx')).equals(readFileSync(join(repoRoot, 'resources/models/yolox_nano_320.onnx')))).toBe(true);
    const config = appConfigSchema.parse({ detector: { model: { input_size: 320 } } });
    const detector = await createDetector(detectorSettings(config.detector, out));
    try {
      let strong = 0;
      let found = 0;
      const missed: string[] = [];
      for (const [file, { found: expected }] of Object.entries(EXPECTED)) {
        const { objects } = await detector.detect(await readImageFrame(image(file)));
        for (const reference of expected.filter((e) => e.score >= 0.5)) {
          strong++;
          if (objects.some((o) => o.className === reference.class && iou(o.box, reference.box) >= 0.5)) found++;
          else missed.push(`${file} ${reference.class} ${reference.score}`);
        }
      }
      // docs/OPERATIONS.md gives the measured figure: every strong reference found at 320 as at 416.
      expect(strong).toBe(17);
      expect(missed).toEqual([]);
      expect(found).toBe(strong);
    } finally {
      await detector.close();
    }
  });

  it('refuses a size the strides do not divide and a file that is not a model, writing nothing', async () => {
    const out = temp.path('bad.onnx');
    const odd = await runTcr(['model', 'resize', '--input-size', '300', modelPath, out], {}, 30_000);
    expect(odd.code).toBe(1);
    expect(odd.stderr).toMatch(/not a multiple of 32/);
    const notModel = await runTcr(['model', 'resize', '--input-size', '320', image('street_pedestrian_car.jpg'), out], {}, 30_000);
    expect(notModel.code).toBe(1);
    expect(notModel.stderr).toMatch(/cannot resize/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });
});
