// The real detector and photos in ../shared/data (see its PROVENANCE.md): tests read them, never the network.
import { join } from 'node:path';
import { repoRoot } from './runTcr.js';

export const sharedData = join(repoRoot, '..', 'shared', 'data');
export const modelPath = join(sharedData, 'models', 'yolox_nano.onnx');
export const imagesFolder = join(sharedData, 'images');
export const image = (name: string): string => join(imagesFolder, name);
/** sha256 of the shared copy (not the official release asset; PROVENANCE.md explains). */
export const SHARED_MODEL_SHA256 = '695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14';

type Box = [number, number, number, number];
export interface ExpectedDetection {
  class: string;
  score: number;
  box: Box;
}

/**
 * PROVENANCE.md's table, person and vehicle rows marked correct (✔), plus the white pickup that the model
 * calls a car (a real vehicle, correctly boxed). Its cross-class duplicates are listed apart: we must not report them.
 */
export const EXPECTED: Record<string, { found: ExpectedDetection[]; duplicates: ExpectedDetection[] }> = {
  'yolox_dog_bicycle_truck.jpg': {
    found: [
      { class: 'car', score: 0.81, box: [467, 78, 692, 172] },
      { class: 'bicycle', score: 0.807, box: [46, 132, 572, 431] },
    ],
    duplicates: [],
  },
  'nyc_street_bus_taxi.jpg': {
    found: [
      { class: 'bus', score: 0.932, box: [387, 91, 736, 325] },
      { class: 'car', score: 0.871, box: [321, 224, 482, 339] },
      { class: 'person', score: 0.791, box: [737, 214, 823, 490] },
      { class: 'bus', score: 0.743, box: [866, 111, 1198, 348] },
      { class: 'person', score: 0.403, box: [828, 223, 915, 466] },
      { class: 'person', score: 0.382, box: [281, 221, 328, 329] },
      { class: 'person', score: 0.314, box: [119, 186, 162, 319] },
    ],
    duplicates: [{ class: 'truck', score: 0.527, box: [868, 111, 1200, 349] }],
  },
  'crosswalk_pedestrians_cars.jpg': {
    found: [
      { class: 'person', score: 0.92, box: [298, 92, 492, 646] },
      { class: 'person', score: 0.917, box: [704, 72, 928, 646] },
      { class: 'person', score: 0.902, box: [988, 108, 1149, 595] },
      { class: 'person', score: 0.9, box: [499, 126, 674, 621] },
      { class: 'car', score: 0.79, box: [874, 123, 1016, 288] },
      { class: 'car', score: 0.476, box: [1146, 108, 1226, 203] },
      { class: 'car', score: 0.409, box: [1024, 98, 1191, 205] },
    ],
    duplicates: [{ class: 'truck', score: 0.377, box: [1031, 100, 1207, 207] }],
  },
  'street_pedestrian_car.jpg': {
    found: [
      { class: 'person', score: 0.885, box: [303, 71, 584, 720] },
      { class: 'car', score: 0.79, box: [474, 186, 1280, 639] },
    ],
    duplicates: [],
  },
  'roadside_motorcycles.jpg': {
    found: [
      { class: 'motorcycle', score: 0.881, box: [1, 97, 229, 371] },
      { class: 'person', score: 0.875, box: [365, 115, 444, 266] },
      { class: 'person', score: 0.793, box: [0, 89, 34, 211] },
      { class: 'motorcycle', score: 0.712, box: [238, 115, 328, 228] },
    ],
    duplicates: [],
  },
};
