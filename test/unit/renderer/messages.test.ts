import { describe, expect, it } from 'vitest';
import { MESSAGES, initialLocale, translate } from '../../../renderer/src/i18n/messages.js';

describe('renderer > i18n messages', () => {
  it('has every string in both Chinese and English, none empty', () => {
    const zh = Object.keys(MESSAGES['zh-CN']).sort();
    expect(Object.keys(MESSAGES.en).sort()).toEqual(zh);
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const text of Object.values(MESSAGES[locale])) expect(text.trim().length).toBeGreaterThan(0);
    }
  });

  it('starts in Chinese unless the operator chose otherwise or the browser prefers English', () => {
    expect(initialLocale(null, ['zh-CN', 'zh'])).toBe('zh-CN');
    expect(initialLocale(null, [])).toBe('zh-CN');
    expect(initialLocale(null, ['en-US'])).toBe('en');
    expect(initialLocale('en', ['zh-CN'])).toBe('en');
    expect(initialLocale('fr', ['zh-CN'])).toBe('zh-CN');
  });

  it('translates a key in the chosen language', () => {
    expect(translate('zh-CN', 'app.title')).toBe('交通管控室');
    expect(translate('en', 'app.title')).toBe('Traffic Control Room');
  });
});
