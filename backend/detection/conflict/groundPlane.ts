// A camera's ground plane from its calibration: where on the road (metres) an image point is. Without one the
// measures stay in image pixels and are marked uncalibrated.
import type { Calibration } from '../../config/index.js';
import { applyHomography, fitHomography, type Point } from '../../core/homography.js';

export interface GroundPlane {
  /** The road point under an image point, metres; null above the horizon. */
  toGround(point: Point, frameWidth: number): [number, number] | null;
}

/** null: the camera has no calibration. The config loader has refused calibrations that do not fit. */
export function groundPlaneOf(calibration: Calibration | null): GroundPlane | null {
  if (calibration === null) return null;
  if (calibration.points) {
    const fit = fitHomography(calibration.points);
    if (!fit.ok) throw new Error(`calibration refused after load: ${fit.problem}`);
    return { toGround: (point) => applyHomography(fit.homography, point) };
  }
  const { metres_per_pixel: scale, reference_row: reference, horizon_row: horizon } = calibration.scale!;
  if (horizon === null) return { toGround: ([x, y]) => [x * scale, y * scale] };
  // A flat road seen from a level camera: across the image a pixel spans metres ∝ 1 / (row − horizon). Along
  // the rows the same scale is used, integrated: y ↦ s (r − h) ln((y − h) / (r − h)). That leaves out depth
  // foreshortening; surveyed points do not.
  const k = scale * (reference - horizon);
  return {
    toGround: ([x, y], frameWidth) => (y <= horizon ? null : [((x - frameWidth / 2) * k) / (y - horizon), k * Math.log((y - horizon) / (reference - horizon))]),
  };
}
