// risk-assessment-results: the verdict on one task, from the LLM or from the rules fallback.
import { z } from 'zod';
import { cameraId, epochMs, frameId, groupId, schemaVersion, score01 } from './common.js';
import { taskIdSchema } from './taskId.js';

export const RISK_LEVELS = ['none', 'low', 'medium', 'high', 'critical'] as const;
export const riskLevel = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof riskLevel>;

export const riskAssessmentResultMessage = z
  .object({
    schema_version: schemaVersion,
    task_id: taskIdSchema,
    camera_id: cameraId,
    frame_id: frameId,
    group_id: groupId,
    captured_at_ms: epochMs,
    assessed_at_ms: epochMs,
    status: z.enum(['ok', 'fallback', 'expired']).describe('ok: assessed as asked; fallback: rules only; expired: past deadline.'),
    risk_level: riskLevel,
    risk_score: score01,
    description: z.string().max(4000).describe('Short text for operators (Chinese by default).'),
    reasoning: z.string().max(16000).nullable().describe("The assessor's reasoning, shown in the alert detail."),
    language: z.enum(['zh-CN', 'en']),
    assessor: z.object({
      type: z.enum(['llm', 'rules']),
      model: z.string().max(128).nullable(),
      key_name: z.string().max(128).nullable().describe('Name of the API key used (never the key itself).'),
    }),
  })
  .describe('Verdict on one task. Topic risk-assessment-results, key camera_id.');

export type RiskAssessmentResultMessage = z.infer<typeof riskAssessmentResultMessage>;
