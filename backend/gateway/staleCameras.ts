// camera_down for cameras whose frames stopped reaching the camera wall, where no decoder says what became of
// them. A camera whose decoder reports its state (this process's, or a scraped detection process's
// camera_state) is judged by that state: failed or reconnecting is camera_down (systemChecks.ts), and live with
// late results is the detection host short of CPU (detection_shortfall). Otherwise an overloaded detection
// process raised camera_down for nearly every camera, and a camera that really failed raised nothing new
// (tcr bench e2e at 50 cameras on two cores).
import { samplesOf, type Sample } from '../alerts/metricSamples.js';
import type { Condition } from '../alerts/systemChecks.js';
import type { CameraView } from '../contracts/index.js';

export function staleCameraConditions(cameras: readonly Pick<CameraView, 'id' | 'state' | 'last_frame_ms'>[], samples: readonly Sample[]): Condition[] {
  const reported = new Set(samplesOf(samples, 'camera_state').map((sample) => sample.labels.camera));
  return cameras
    .filter((camera) => camera.state === 'stale' && !reported.has(camera.id))
    .map((camera) => ({
      check: 'camera_down',
      subject: camera.id,
      level: 'high',
      summary: `camera ${camera.id} sent no frame since ${camera.last_frame_ms === null ? 'start' : new Date(camera.last_frame_ms).toISOString()}`,
    }));
}
