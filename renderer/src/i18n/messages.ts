// UI strings in Simplified Chinese (the default, for the control center's operators) and English.
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const zhCN = {
  'app.title': '交通管控室',
  'app.language': '语言',
  'nav.cameras': '摄像头墙',
  'nav.alerts': '告警',
  'nav.pipeline': '处理流水线',
  'nav.keys': '密钥池',
  'nav.settings': '设置',
  'gateway.connecting': '正在连接后端…',
  'gateway.connected': '后端已连接',
  'gateway.unreachable': '无法连接后端，正在重试',
  'gateway.unconfigured': '未指定后端地址',
} as const;

export type MessageKey = keyof typeof zhCN;

const en: Record<MessageKey, string> = {
  'app.title': 'Traffic Control Room',
  'app.language': 'Language',
  'nav.cameras': 'Camera wall',
  'nav.alerts': 'Alerts',
  'nav.pipeline': 'Pipeline',
  'nav.keys': 'Key pool',
  'nav.settings': 'Settings',
  'gateway.connecting': 'Connecting to the backend…',
  'gateway.connected': 'Backend connected',
  'gateway.unreachable': 'Backend unreachable, retrying',
  'gateway.unconfigured': 'No backend address given',
};

export const MESSAGES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export function translate(locale: Locale, key: MessageKey): string {
  return MESSAGES[locale][key];
}

/** The operator's saved choice if valid, else Chinese unless the browser prefers English. */
export function initialLocale(saved: string | null, browserLanguages: readonly string[]): Locale {
  if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale;
  const first = browserLanguages[0]?.toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}
