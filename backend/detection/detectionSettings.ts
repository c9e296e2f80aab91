// Turns the config's detector and detection sections into the typed settings of each detection part.
import type { AppConfig } from '../config/index.js';
import type { CameraPipelineSettings } from './cameraPipeline.js';
import type { DetectorSettings } from './detector/detector.js';
import type { ModelFileSettings } from './detector/modelFile.js';

export function detectorSettings(detector: AppConfig['detector'], modelPath = detector.model.path): DetectorSettings {
  return {
    modelPath,
    format: detector.model.format,
    inputSize: detector.model.input_size,
    scoreThreshold: detector.score_threshold,
    classThresholds: detector.class_thresholds,
    classes: detector.classes,
    mergeClasses: detector.merge_classes,
    nmsIou: detector.nms_iou,
    intraOpThreads: detector.intra_op_threads,
  };
}

export function modelFileSettings(detector: AppConfig['detector']): ModelFileSettings {
  return { path: detector.model.path, sha256: detector.model.sha256, downloadUrl: detector.model.download_url };
}

export function cameraPipelineSettings(cameraId: string, config: Pick<AppConfig, 'detection' | 'detector'>): CameraPipelineSettings {
  const { tracker, groups } = config.detection;
  return {
    cameraId,
    tracker: {
      highScore: tracker.high_score,
      matchIou: tracker.match_iou,
      maxLostMs: tracker.max_lost_ms,
      velocitySmoothing: tracker.velocity_smoothing,
      sameObjectClasses: config.detector.merge_classes,
    },
    groups: {
      linkDistanceFactor: groups.link_distance_factor,
      minMembers: groups.min_members,
      stationarySpeedFactor: groups.stationary_speed_factor,
      personClasses: groups.person_classes,
      vehicleClasses: groups.vehicle_classes,
    },
    emit: { movingRefreshMs: groups.moving_refresh_ms, distanceChange: groups.distance_change, forgetAfterMs: tracker.max_lost_ms },
    imagery: { thumbnailWidth: config.detection.thumbnail_width, cropMaxSide: config.detection.crop_max_side, jpegQuality: config.detection.jpeg_quality },
  };
}
