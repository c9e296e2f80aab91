// The tray icon's words in the operator's language (the OS locale), from the open-alert count.
import type { OpenAlertCounts } from '../backend/contracts/index.js';

type Language = 'zh-CN' | 'en';

const TEXT = {
  'zh-CN': {
    app: '交通指挥室',
    open: '打开指挥室',
    quit: '退出',
    alerts: (n: number) => `未处理告警：${n}`,
    critical: (n: number) => `（紧急 ${n}）`,
    unreachable: '后台服务无响应',
  },
  en: {
    app: 'Traffic Control Room',
    open: 'Open control room',
    quit: 'Quit',
    alerts: (n: number) => `Open alerts: ${n}`,
    critical: (n: number) => ` (critical ${n})`,
    unreachable: 'Backend not answering',
  },
} as const;

export function trayLanguage(locale: string): Language {
  return locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export interface TrayWords {
  tooltip: string;
  open: string;
  quit: string;
  /** The menu's first line; also the tooltip's second. */
  status: string;
}

/** `counts` null: the gateway did not answer the last poll. */
export function trayWords(language: Language, counts: OpenAlertCounts | null): TrayWords {
  const text = TEXT[language];
  const critical = counts?.by_level.critical ?? 0;
  const status = counts === null ? text.unreachable : `${text.alerts(counts.open)}${critical > 0 ? text.critical(critical) : ''}`;
  return { tooltip: `${text.app}\n${status}`, open: text.open, quit: text.quit, status };
}
