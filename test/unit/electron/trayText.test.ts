// The tray's words from the open-alert count, in the OS language.
import { describe, expect, it } from 'vitest';
import { trayLanguage, trayWords } from '../../../electron/trayText.js';

const counts = (open: number, critical: number) => ({ open, by_level: { none: 0, low: 0, medium: 0, high: open - critical, critical } });

describe('electron > tray words', () => {
  it('chooses Chinese for any zh locale and English otherwise', () => {
    expect(['zh-CN', 'zh-TW', 'zh', 'ZH-cn', 'en-US', 'de', ''].map(trayLanguage)).toEqual(['zh-CN', 'zh-CN', 'zh-CN', 'zh-CN', 'en', 'en', 'en']);
  });

  it('counts open alerts, names the critical ones, and says when the backend does not answer', () => {
    expect(trayWords('zh-CN', counts(3, 1))).toEqual({ tooltip: '交通指挥室\n未处理告警：3（紧急 1）', status: '未处理告警：3（紧急 1）', open: '打开指挥室', quit: '退出' });
    expect(trayWords('en', counts(2, 0)).tooltip).toBe('Traffic Control Room\nOpen alerts: 2');
    expect(trayWords('en', null).status).toBe('Backend not answering');
    expect(trayWords('zh-CN', null).status).toBe('后台服务无响应');
  });
});
