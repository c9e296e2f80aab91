import { describe, expect, it } from 'vitest';
import { defaultPromptFile, loadPromptTemplate, renderPrompt } from '../../../backend/assess/prompt.js';
import { ConfigError } from '../../../backend/core/errors.js';
import { assessmentTask } from '../../support/messageFixtures.js';
import { useTempDir } from '../../support/tempDir.js';

const temp = useTempDir();

describe('assess > prompt', () => {
  it('fills every placeholder of the shipped prompts, in Chinese and in English', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const template = loadPromptTemplate(defaultPromptFile(language), language);
      const text = renderPrompt(template, assessmentTask(), '人民路与解放路交叉口', true);
      expect(text).not.toMatch(/\{\{/);
      expect(text).toContain('人民路与解放路交叉口');
      expect(text).toContain('13 px');
    }
    expect(renderPrompt(loadPromptTemplate(defaultPromptFile('zh-CN'), 'zh-CN'), assessmentTask(), 'x', true)).toContain('行人 × 1');
    expect(renderPrompt(loadPromptTemplate(defaultPromptFile('en'), 'en'), assessmentTask(), 'x', false)).toMatch(/person × 1[\s\S]*no image[\s\S]*Answer in English/);
  });

  it('tells the model the conflict measures of the most urgent pairs, with their units', () => {
    const task = assessmentTask();
    const pair = { track_ids: [3, 7] as [number, number], classes: ['person', 'car'] as [string, string], kind: 'person_vehicle' as const, ttc_s: 1.2, closing_speed: 80, min_separation: 0, min_separation_in_s: 1.2, pet_s: 0.8, speeds: [10, 70] as [number, number], speed_difference: 80, track_age_frames: [6, 6] as [number, number], confident: true };
    const measured = { ...task, group: { ...task.group, min_ttc_s: 1.2, conflicts: [pair] } };
    const zh = renderPrompt(loadPromptTemplate(defaultPromptFile('zh-CN'), 'zh-CN'), measured, 'x', true);
    expect(zh).toContain('行人#3 – 小汽车#7: TTC 1.2 s PET 0.8 s, 接近速度 80.0 px/s');
    expect(zh).toContain('未标定');
    expect(renderPrompt(loadPromptTemplate(defaultPromptFile('en'), 'en'), task, 'x', true)).toContain('none (no pair is closing in)');
  });

  it('stops start-up on an unknown placeholder, naming the file and the line', () => {
    const file = temp.write('prompt.md', 'line one\n摄像头：{{camera_nmae}}\n');
    expect(() => loadPromptTemplate(file, 'zh-CN')).toThrow(ConfigError);
    try {
      loadPromptTemplate(file, 'zh-CN');
    } catch (error) {
      expect((error as ConfigError).message).toContain(`${file}:2:1`);
      expect((error as ConfigError).message).toContain('{{camera_nmae}}');
    }
    expect(() => loadPromptTemplate(temp.path('missing.md'), 'en')).toThrow(/cannot read the prompt file \(ENOENT\)/);
    expect(() => loadPromptTemplate(temp.write('empty.md', ' \n'), 'en')).toThrow(/empty/);
  });
});
