// The simulator's answer: a well-formed risk assessment derived deterministically from the request, so tests can
// assert on it and a replayed request gets the same verdict.
import { RISK_LEVELS, type RiskLevel } from '../contracts/index.js';

export interface SimAnswer {
  risk_level: RiskLevel;
  risk_score: number;
  description: string;
  reasoning: string;
}

interface ChatMessage {
  role?: unknown;
  content?: unknown;
}

/** The text of the last user message (string content or the text parts of a multimodal content array). */
export function requestText(messages: readonly ChatMessage[]): string {
  const user = [...messages].reverse().find((message) => message.role === 'user') ?? messages[messages.length - 1];
  const content = user?.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => {
      const typed = part as { type?: unknown; text?: unknown; image_url?: { url?: unknown } };
      if (typed.type === 'text' && typeof typed.text === 'string') return typed.text;
      if (typed.type === 'image_url' && typeof typed.image_url?.url === 'string') return `[image ${typed.image_url.url.length}]`;
      return '';
    })
    .join('\n');
}

/** FNV-1a, 32 bit: a stable hash of the request text. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

const DESCRIPTIONS: Record<RiskLevel, { zh: string; en: string }> = {
  none: { zh: '未发现冲突，交通参与者间距正常。', en: 'No conflict; road users keep normal distances.' },
  low: { zh: '交通参与者距离较近，但速度较低，风险较小。', en: 'Road users are close but slow; little risk.' },
  medium: { zh: '行人与车辆距离较近，需持续关注。', en: 'A person is close to a vehicle; keep watching.' },
  high: { zh: '行人与行驶中的车辆距离过近，存在碰撞风险。', en: 'A person is very close to a moving vehicle; collision risk.' },
  critical: { zh: '即将发生碰撞，请立即处置。', en: 'A collision is imminent; act now.' },
};

export function riskAnswer(text: string): SimAnswer {
  const score = Math.round((fnv1a(text) / 0xffffffff) * 1000) / 1000;
  const level = RISK_LEVELS[Math.min(RISK_LEVELS.length - 1, Math.floor(score * RISK_LEVELS.length))]!;
  const english = /\b(english|language:\s*en)\b/i.test(text);
  const description = english ? DESCRIPTIONS[level].en : DESCRIPTIONS[level].zh;
  const reasoning = english ? `Simulated assessment (request hash ${fnv1a(text).toString(16)}).` : `模拟评估（请求哈希 ${fnv1a(text).toString(16)}）。`;
  return { risk_level: level, risk_score: score, description, reasoning };
}
