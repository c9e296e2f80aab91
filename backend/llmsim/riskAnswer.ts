// The simulator's answer: a well-formed risk assessment derived deterministically from the request, so tests can
// assert on it and a replayed request gets the same verdict.
import { RISK_LEVELS, RISK_TYPES, type RiskLevel, type RiskType } from '../contracts/index.js';

export interface SimAnswer {
  risk_level: RiskLevel;
  risk_score: number;
  risk_types: RiskType[];
  description: string;
  recommended_action: string;
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

const ACTIONS: Record<RiskLevel, { zh: string; en: string }> = {
  none: { zh: '无需处置。', en: 'No action needed.' },
  low: { zh: '保持关注。', en: 'Keep an eye on it.' },
  medium: { zh: '持续观察，必要时通知现场人员。', en: 'Keep watching; alert field staff if it persists.' },
  high: { zh: '立即通知现场人员到场处置。', en: 'Send field staff now.' },
  critical: { zh: '立即处置并通知现场警力。', en: 'Act now and alert the police on site.' },
};

export function riskAnswer(text: string): SimAnswer {
  const score = Math.round((fnv1a(text) / 0xffffffff) * 1000) / 1000;
  const level = RISK_LEVELS[Math.min(RISK_LEVELS.length - 1, Math.floor(score * RISK_LEVELS.length))]!;
  const english = /\b(english|language:\s*en)\b/i.test(text);
  const description = english ? DESCRIPTIONS[level].en : DESCRIPTIONS[level].zh;
  const reasoning = english ? `Simulated assessment (request hash ${fnv1a(text).toString(16)}).` : `模拟评估（请求哈希 ${fnv1a(text).toString(16)}）。`;
  const riskTypes: RiskType[] = level === 'none' ? [] : [RISK_TYPES[fnv1a(`${text}#type`) % (RISK_TYPES.length - 1)]!];
  const action = english ? ACTIONS[level].en : ACTIONS[level].zh;
  return { risk_level: level, risk_score: score, risk_types: riskTypes, description, recommended_action: action, reasoning };
}
