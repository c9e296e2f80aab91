// The wire messages by name: one table for decoding by topic, JSON Schema export and docs.
import type { z } from 'zod';
import { assessmentTaskMessage } from './assessmentTask.js';
import { deadLetterMessage } from './deadLetter.js';
import { detectionResultMessage } from './detectionResult.js';
import { riskAssessmentResultMessage } from './riskAssessmentResult.js';

export const MESSAGE_SCHEMAS = {
  DetectionResultMessage: detectionResultMessage,
  AssessmentTaskMessage: assessmentTaskMessage,
  RiskAssessmentResultMessage: riskAssessmentResultMessage,
  DeadLetterMessage: deadLetterMessage,
} as const satisfies Record<string, z.ZodType>;

export type MessageName = keyof typeof MESSAGE_SCHEMAS;
