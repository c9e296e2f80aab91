// Turns the config's detector and detection sections into the typed settings of each detection part.
import type { AppConfig, Calibration } from '../config/index.js';
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
    sessions: detector.sessions,
    intraOpThreads: detector.intra_op_threads,
  };
}

export function modelFileSettings(detector: AppConfig['detector']): ModelFileSettings {
  return { path: detector.model.path, sha256: detector.model.sha256, downloadUrl: detector.model.download_url };
}

/** `calibration`: the camera's ground plane, when it has one; `motionGate`: the camera's motion gating, when on. */
export function cameraPipelineSettings(
  cameraId: string,
  config: Pick<AppConfig, 'detection' | 'detector'>,
  calibration: Calibration | null = null,
  motionGate: AppConfig['cameras'][number]['motion_gate'] = null,
): CameraPipelineSettings {
  const { tracker, groups, conflict } = config.detection;
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
    emit: { movingRefreshMs: groups.moving_refresh_ms, distanceChange: groups.distance_change, forgetAfterMs: tracker.max_lost_ms, ttcThresholdS: conflict.ttc_threshold_s },
    conflict: {
      horizonS: conflict.horizon_s,
      linkTtcS: conflict.link_ttc_s,
      linkPetS: conflict.link_pet_s,
      minTrackAgeFrames: conflict.min_track_age_frames,
      motionWindowMs: conflict.motion_window_ms,
      minMotionFactor: conflict.min_motion_factor,
      minMotionPx: conflict.min_motion_px,
      maxSpeedSizesPerS: conflict.max_speed_sizes_per_s,
      maxSpeedMS: conflict.max_speed_m_s,
      historyMs: conflict.history_ms,
      personClasses: groups.person_classes,
      vehicleClasses: groups.vehicle_classes,
      vehiclePairClasses: conflict.vehicle_pair_classes,
    },
    calibration,
    motionGate: motionGate && { threshold: motionGate.threshold, maxSkipMs: motionGate.max_skip_ms },
    imagery: { thumbnailWidth: config.detection.thumbnail_width, thumbnailIntervalMs: config.detection.thumbnail_interval_ms, cropMaxSide: config.detection.crop_max_side, jpegQuality: config.detection.jpeg_quality },
  };
}
