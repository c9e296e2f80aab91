// risk-assessment-results: the verdict on one task, from the LLM or from the rules assessor, with how it was reached.
import { z } from 'zod';
import { box, cameraId, epochMs, frameId, groupId, jpegBase64, schemaVersion, score01 } from './common.js';
import { conflictPair, groupFeatures } from './group.js';
import { taskIdSchema } from './taskId.js';

export const RISK_LEVELS = ['none', 'low', 'medium', 'high', 'critical'] as const;
export const riskLevel = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof riskLevel>;

/** What kind of danger a group shows; an assessor names every one it sees (none for a harmless group). */
export const RISK_TYPES = ['pedestrian_conflict', 'vehicle_conflict', 'wrong_way', 'congestion', 'stopped_vehicle', 'collision', 'other'] as const;
export const riskType = z.enum(RISK_TYPES);
export type RiskType = z.infer<typeof riskType>;

/** Why the LLM gave no verdict, so the rules assessor's alert says what operators are missing. */
export const LLM_FAILURES = ['timeout', 'malformed_answer', 'no_key_before_deadline', 'no_usable_keys', 'endpoint_unreachable', 'rejected', 'attempts_exhausted', 'expired'] as const;
export const llmFailure = z.enum(LLM_FAILURES);
export type LlmFailure = z.infer<typeof llmFailure>;

const nonNegativeInt = z.number().int().nonnegative();

export const riskAssessmentResultMessage = z
  .object({
    schema_version: schemaVersion,
    task_id: taskIdSchema,
    camera_id: cameraId,
    frame_id: frameId,
    group_id: groupId,
    region: box.describe("The group's bounding region from its task, source-frame pixels: where an alert points, and what folds repeated alerts of one place."),
    crop_jpeg_b64: jpegBase64.nullable().describe("The task's group crop, what the assessor saw: the alert's picture (null when the task had none)."),
    captured_at_ms: epochMs,
    assessed_at_ms: epochMs,
    status: z.enum(['ok', 'fallback']).describe('ok: assessed by the configured assessor; fallback: the rules assessor stood in because the LLM gave no verdict (see llm_failure).'),
    risk_level: riskLevel,
    risk_score: score01,
    risk_types: z.array(riskType).max(RISK_TYPES.length).describe('Kinds of danger seen; empty when there is none.'),
    description: z.string().max(4000).describe('Short text for operators (Chinese by default).'),
    recommended_action: z.string().max(1000).describe('What the operator should do, in the same language.'),
    reasoning: z.string().max(16000).nullable().describe("The assessor's reasoning, shown in the alert detail."),
    language: z.enum(['zh-CN', 'en']),
    assessor: z.object({
      type: z.enum(['llm', 'rules']),
      model: z.string().max(128).nullable(),
      key_name: z.string().max(128).nullable().describe('Name of the API key used (never the key itself).'),
    }),
    llm_failure: llmFailure.nullable().describe('Why the LLM gave no verdict (status fallback); null otherwise.'),
    attempts: nonNegativeInt.max(1000).describe('LLM requests made for this task, repairs and failed ones included (0: rules only).'),
    llm_latency_ms: nonNegativeInt.max(3_600_000).nullable().describe('Time the LLM took to answer (the answering requests only); null without an LLM verdict.'),
    tokens: nonNegativeInt.max(100_000_000).nullable().describe('Tokens the provider reported for all requests of this task; null when none reported.'),
    detection_to_result_ms: nonNegativeInt.max(86_400_000).describe('From the frame\'s capture to this verdict (assessed_at_ms - captured_at_ms, 0 if the clocks disagree).'),
    conflict: groupFeatures
      .pick({ calibrated: true, min_ttc_s: true, min_ttc_pair: true, min_pet_s: true })
      .extend({ pair: conflictPair.nullable().default(null).describe("The group's most urgent pair with all its measures.") })
      .nullable()
      .default(null)
      .describe("The group's conflict measures the verdict rests on, kept for the alert detail (null from producers before them)."),
  })
  .describe('Verdict on one task. Topic risk-assessment-results, key camera_id.');

export type RiskAssessmentResultMessage = z.infer<typeof riskAssessmentResultMessage>;
