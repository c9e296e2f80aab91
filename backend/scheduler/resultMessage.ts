// A verdict and how it was reached, as the risk-assessment-results message for its task.
import type { Verdict } from '../assess/verdict.js';
import { SCHEMA_VERSION, type AssessmentTaskMessage, type LlmFailure, type RiskAssessmentResultMessage } from '../contracts/index.js';

export interface HowAssessed {
  assessor: RiskAssessmentResultMessage['assessor'];
  status: RiskAssessmentResultMessage['status'];
  llmFailure: LlmFailure | null;
  attempts: number;
  llmLatencyMs: number | null;
  tokens: number | null;
}

export function resultMessage(task: AssessmentTaskMessage, verdict: Verdict, how: HowAssessed, language: RiskAssessmentResultMessage['language'], assessedAtMs: number): RiskAssessmentResultMessage {
  return {
    schema_version: SCHEMA_VERSION,
    task_id: task.task_id,
    camera_id: task.camera_id,
    frame_id: task.frame_id,
    group_id: task.group_id,
    region: task.group.region,
    crop_jpeg_b64: task.crop_jpeg_b64,
    captured_at_ms: task.captured_at_ms,
    assessed_at_ms: assessedAtMs,
    status: how.status,
    ...verdict,
    language,
    assessor: how.assessor,
    llm_failure: how.llmFailure,
    attempts: how.attempts,
    llm_latency_ms: how.llmLatencyMs,
    tokens: how.tokens,
    detection_to_result_ms: Math.min(86_400_000, Math.max(0, assessedAtMs - task.captured_at_ms)),
    conflict: { calibrated: task.group.calibrated, min_ttc_s: task.group.min_ttc_s, min_ttc_pair: task.group.min_ttc_pair, min_pet_s: task.group.min_pet_s, pair: task.group.conflicts[0] ?? null },
  };
}
