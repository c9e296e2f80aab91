import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../../backend/assess/llmAnswer.js';

const good = { risk_level: 'high', risk_score: 0.8, risk_types: ['pedestrian_conflict'], description: '行人靠近车辆', recommended_action: '通知现场人员', reasoning: '距离很近' };

describe('assess > llmAnswer', () => {
  it('reads the JSON object out of prose and code fences, ignoring keys it does not know', () => {
    const parsed = parseAnswer(`好的，评估如下：\n\`\`\`json\n${JSON.stringify({ ...good, confidence: 0.9 })}\n\`\`\``);
    expect(parsed).toEqual({ ok: true, verdict: good });
  });

  it.each([
    ['no JSON at all', '我无法判断。', /holds no JSON object/],
    ['cut-off JSON', JSON.stringify(good).slice(0, 40) + '}', /not valid JSON/],
    ['a missing field', JSON.stringify({ ...good, recommended_action: undefined }), /recommended_action/],
    ['a score out of range', JSON.stringify({ ...good, risk_score: 7 }), /risk_score/],
    ['an unknown level', JSON.stringify({ ...good, risk_level: 'extreme' }), /risk_level/],
    ['an unknown risk type', JSON.stringify({ ...good, risk_types: ['aliens'] }), /risk_types/],
    ['an empty description', JSON.stringify({ ...good, description: '   ' }), /description/],
  ])('names the problem with %s', (_name, text, problem) => {
    const parsed = parseAnswer(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });
});
