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
