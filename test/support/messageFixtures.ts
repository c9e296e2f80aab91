// One valid example of every wire message, for round-trip tests and as the base of the bad cases.
import {
  createTaskId,
  noConflictMeasures,
  type AssessmentTaskMessage,
  type DeadLetterMessage,
  type DetectionResultMessage,
  type GroupFeatures,
  type RiskAssessmentResultMessage,
} from '../../backend/contracts/index.js';

export const group: GroupFeatures = {
  group_id: 'g1',
  track_ids: [3, 7],
  members_by_class: { person: 1, car: 1 },
  region: [298, 92, 1016, 646],
  min_person_vehicle_distance_px: 12.5,
  density: 0.42,
  mean_speed_px_s: 35.2,
  stationary: false,
  ...noConflictMeasures(),
};

/** Parked cars: the quietest group, for tests that change one feature at a time. */
export function parkedCars(overrides: Partial<GroupFeatures> = {}): GroupFeatures {
  return { group_id: 'g-1-2', track_ids: [1, 2], members_by_class: { car: 2 }, region: [0, 0, 100, 100], min_person_vehicle_distance_px: null, density: 0.5, mean_speed_px_s: 0, stationary: true, ...noConflictMeasures(), ...overrides };
}

export function detectionResult(): DetectionResultMessage {
  return {
    schema_version: 1,
    camera_id: 'cam-001',
    frame_id: '1700000000000-42',
    captured_at_ms: 1_700_000_000_000,
    frame_width: 1280,
    frame_height: 720,
    model: 'yolox_nano',
    processing_ms: 18.4,
    detections: [
      { class_name: 'person', score: 0.92, box: [298, 92, 492, 646], track_id: 3 },
      { class_name: 'car', score: 0.79, box: [874, 123, 1016, 288], track_id: 7 },
    ],
    tracks: [
      { track_id: 3, class_name: 'person', box: [298, 92, 492, 646], age_frames: 4, velocity_px_s: [10, 0] },
      { track_id: 7, class_name: 'car', box: [874, 123, 1016, 288], age_frames: 9, velocity_px_s: [-60, 2] },
    ],
    groups: [{ ...group, crop_jpeg_b64: '/9j/4AAQSkZJRg==' }],
    thumbnail_jpeg_b64: null,
  };
}

export function assessmentTask(): AssessmentTaskMessage {
  return {
    schema_version: 1,
    task_id: createTaskId('cam-001', '1700000000000-42', 'g1'),
    camera_id: 'cam-001',
    frame_id: '1700000000000-42',
    group_id: 'g1',
    captured_at_ms: 1_700_000_000_000,
    created_at_ms: 1_700_000_000_050,
    deadline_ms: 1_700_000_005_000,
    priority: 8,
    group,
    crop_jpeg_b64: null,
  };
}

export function riskResult(): RiskAssessmentResultMessage {
  return {
    schema_version: 1,
    task_id: createTaskId('cam-001', '1700000000000-42', 'g1'),
    camera_id: 'cam-001',
    frame_id: '1700000000000-42',
    group_id: 'g1',
    region: [412, 230, 780, 560],
    crop_jpeg_b64: null,
    captured_at_ms: 1_700_000_000_000,
    assessed_at_ms: 1_700_000_000_900,
    status: 'ok',
    risk_level: 'high',
    risk_score: 0.81,
    risk_types: ['pedestrian_conflict'],
    description: '行人与车辆距离过近，存在碰撞风险',
    recommended_action: '通知现场人员引导行人，并提醒驾驶员减速。',
    reasoning: '行人正在横穿马路，左侧车辆以较快速度接近。',
    language: 'zh-CN',
    assessor: { type: 'llm', model: 'qwen-vl-plus', key_name: 'key-001' },
    llm_failure: null,
    attempts: 1,
    llm_latency_ms: 812,
    tokens: 1342,
    detection_to_result_ms: 900,
    conflict: null,
  };
}

export function deadLetter(): DeadLetterMessage {
  return {
    schema_version: 1,
    stage: 'expander',
    attempts: 1,
    failed_at_ms: 1_700_000_000_000,
    error: { code: 'invalid_json', message: 'message is not JSON', path: null },
    original: {
      topic: 'detection-results',
      partition: 3,
      offset: '9007199254740993',
      timestamp_ms: 1_700_000_000_000,
      key_b64: 'Y2FtLTAwMQ==',
      key_truncated: false,
      value_b64: 'e30=',
      value_bytes: 2,
      value_sha256: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      value_truncated: false,
      metadata_raw: null,
    },
  };
}
