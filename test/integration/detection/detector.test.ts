import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appConfigSchema } from '../../../backend/config/index.js';
import { createDetector, type DetectedObject, type Detector } from '../../../backend/detection/detector/detector.js';
import { DetectorError } from '../../../backend/detection/detector/detectorError.js';
import { iou } from '../../../backend/core/boxGeometry.js';
import { detectorSettings } from '../../../backend/detection/detectionSettings.js';
import { readImageFrame } from '../../../backend/detection/imageFile.js';
import { EXPECTED, image, modelPath } from '../../support/sharedData.js';
import { useTempDir } from '../../support/tempDir.js';

const defaults = appConfigSchema.parse({}).detector;
const settings = (overrides: Partial<ReturnType<typeof detectorSettings>> = {}) => ({ ...detectorSettings(defaults, modelPath), ...overrides });

function bestMatch(found: readonly DetectedObject[], expected: { class: string; box: number[] }): DetectedObject | undefined {
  return found.filter((o) => o.className === expected.class).sort((a, b) => iou(b.box, expected.box) - iou(a.box, expected.box))[0];
}

describe('detection > detector (real YOLOX-Nano on the real photos)', () => {
  let detector: Detector;
  beforeAll(async () => {
    detector = await createDetector(settings());
  });
  afterAll(() => detector.close());

  for (const [file, { found: expected, duplicates }] of Object.entries(EXPECTED)) {
    it(`finds every person and vehicle of PROVENANCE.md in ${file}, with its class, box and score`, async () => {
      const frame = await readImageFrame(image(file));
      const { objects } = await detector.detect(frame);
      for (const want of expected) {
        const got = bestMatch(objects, want);
        expect(got, `${want.class} ${want.score} [${want.box.join(', ')}]`).toBeDefined();
        expect(iou(got!.box, want.box)).toBeGreaterThanOrEqual(0.5);
        // The contract is followed exactly (BGR, 0–255, top-left letterbox, linear resize), so scores agree
        // to about 0.01; feeding RGB moves some by 0.03 or more, which this catches.
        expect(Math.abs(got!.score - want.score)).toBeLessThanOrEqual(0.02);
      }
      for (const duplicate of duplicates) {
        expect(objects.some((o) => o.className === duplicate.class && iou(o.box, duplicate.box) > 0.45), `duplicate ${duplicate.class}`).toBe(false);
      }
      expect(objects.every((o) => defaults.classes.includes(o.className))).toBe(true);
      for (const o of objects) {
        expect(o.box[0]).toBeGreaterThanOrEqual(0);
        expect(o.box[2]).toBeLessThanOrEqual(frame.width);
        expect(o.box[3]).toBeLessThanOrEqual(frame.height);
      }
    });
  }

  it('applies per-class thresholds and the class list', async () => {
    const strict = await createDetector(settings({ classes: ['person', 'car'], classThresholds: { person: 0.8 } }));
    try {
      const { objects } = await strict.detect(await readImageFrame(image('nyc_street_bus_taxi.jpg')));
      expect(objects.map((o) => `${o.className} ${o.score.toFixed(2)}`)).toEqual(['car 0.87']);
    } finally {
      await strict.close();
    }
  });
});

describe('detection > detector start-up errors name the file and what is wrong', () => {
  const temp = useTempDir();
  const failure = async (overrides: Parameters<typeof settings>[0]): Promise<DetectorError> => {
    const error = await createDetector(settings(overrides)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DetectorError);
    return error as DetectorError;
  };

  it('a missing model file', async () => {
    const error = await failure({ modelPath: temp.path('absent.onnx') });
    expect(error.code).toBe('model_missing');
    expect(error.message).toContain('absent.onnx');
  });

  it('a file that is not ONNX', async () => {
    const file = temp.write('fake.onnx', 'not a model at all');
    const error = await failure({ modelPath: file });
    expect(error.code).toBe('model_invalid');
    expect(error.message).toContain(file);
  });

  it('an input size the model was not exported for', async () => {
    const error = await failure({ inputSize: 320 });
    expect(error.code).toBe('model_shape');
    expect(error.message).toMatch(/yolox_nano\.onnx: input images has shape \[1, 3, 416, 416\], expected \[1, 3, 320, 320\]/);
  });

  it('an output layout of another format', async () => {
    const error = await failure({ format: 'yolov8' });
    expect(error.code).toBe('model_shape');
    expect(error.message).toMatch(/output output has shape \[1, 3549, 85\], expected \[1, 84, anchors\]/);
  });

  it('an image that is not an image', async () => {
    const file = temp.path('photo.jpg');
    writeFileSync(file, 'GIF? no, just text');
    await expect(readImageFrame(file)).rejects.toMatchObject({ code: 'image_invalid', message: expect.stringContaining(file) });
  });
});
