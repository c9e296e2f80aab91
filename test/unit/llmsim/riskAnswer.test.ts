import { describe, expect, it } from 'vitest';
import { requestText, riskAnswer } from '../../../backend/llmsim/riskAnswer.js';

describe('llmsim > riskAnswer', () => {
  it('reads the text of the last user message, string or multimodal parts', () => {
    expect(requestText([{ role: 'system', content: 'sys' }, { role: 'user', content: 'hello' }])).toBe('hello');
    expect(requestText([{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'data:xyz' } }] }])).toBe('a\n[image 8]');
  });

  it('derives the same verdict from the same text and different ones across texts', () => {
    expect(riskAnswer('group 1')).toEqual(riskAnswer('group 1'));
    const levels = new Set(Array.from({ length: 200 }, (_, i) => riskAnswer(`group ${i}`).risk_level));
    expect(levels.size).toBe(5);
  });

  it('answers in Chinese by default and in English when asked', () => {
    expect(riskAnswer('评估').description).toMatch(/[\u4e00-\u9fff]/);
    expect(riskAnswer('Answer in English please').description).toMatch(/^[A-Za-z]/);
  });
});
