// The deterministic assessor: a verdict from a group's features alone (time to collision and post-encroachment
// time of its pairs, person–vehicle proximity, speed, density, stationary vehicles). It runs without keys or network, so it is the zero-setup default and the fallback when the
// LLM gives no verdict: operators get a plain alert instead of silence.
import type { ConflictPair, GroupFeatures, RiskLevel, RiskType } from '../contracts/index.js';
import { memberCounts, relativeGap, type Language, type Verdict } from './verdict.js';

/** SSAM's usual threshold of a serious conflict (the config's detection.conflict.ttc_threshold_s). */
const DEFAULT_TTC_THRESHOLD_S = 1.5;

/** Speed (source pixels per second) above which a group counts as moving fast. */
const FAST_PX_S = 150;

const LEVELS: readonly [number, RiskLevel][] = [
  [0.8, 'critical'],
  [0.6, 'high'],
  [0.4, 'medium'],
  [0.2, 'low'],
];

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));

function levelOf(score: number): RiskLevel {
  return LEVELS.find(([floor]) => score >= floor)?.[1] ?? 'none';
}

interface Finding {
  type: RiskType;
  score: number;
}

/** The surrogate safety measures' bands: at or under the threshold a serious conflict, up to twice it high, up to 3⅓ × medium. */
function conflictFindings(conflicts: readonly ConflictPair[], ttcThresholdS: number): Finding[] {
  const found: Finding[] = [];
  for (const pair of conflicts) {
    const type: RiskType = pair.kind === 'person_vehicle' ? 'pedestrian_conflict' : 'vehicle_conflict';
    const weight = pair.kind === 'person_vehicle' ? 1 : 0.95;
    const ttc = pair.ttc_s;
    if (ttc !== null) found.push({ type, score: weight * (ttc <= ttcThresholdS ? 0.85 : ttc <= 2 * ttcThresholdS ? 0.65 : ttc <= (10 / 3) * ttcThresholdS ? 0.45 : 0.15) });
    const pet = pair.pet_s;
    if (pet !== null) found.push({ type, score: weight * (pet <= ttcThresholdS / 1.5 ? 0.65 : pet <= (4 / 3) * ttcThresholdS ? 0.45 : 0.15) });
  }
  return found;
}

function findings(group: GroupFeatures, ttcThresholdS: number): Finding[] {
  const { people, vehicles, total } = memberCounts(group);
  const speed = clamp01(group.mean_speed_px_s / FAST_PX_S);
  const found: Finding[] = [];
  const gap = relativeGap(group);
  if (gap !== null && people > 0 && vehicles > 0) {
    // Closeness 1 at touching, 0 at half the group's size; a moving group makes the same gap more dangerous.
    const closeness = clamp01(1 - gap / 0.5);
    found.push({ type: 'pedestrian_conflict', score: closeness * (group.stationary ? 0.45 : 0.55 + 0.45 * speed) });
  }
  if (vehicles >= 5 && (group.stationary || speed < 0.2)) found.push({ type: 'congestion', score: clamp01(0.3 + 0.05 * vehicles + 0.1 * Math.min(group.density, 2)) * 0.7 });
  if (vehicles >= 1 && vehicles < 5 && group.stationary && people === 0) found.push({ type: 'stopped_vehicle', score: 0.25 });
  if (vehicles >= 2 && !group.stationary && group.density > 1.2) found.push({ type: 'vehicle_conflict', score: clamp01(0.3 + 0.2 * (group.density - 1.2) + 0.3 * speed) });
  found.push(...conflictFindings(group.conflicts, ttcThresholdS));
  if (found.length === 0 && total > 0) found.push({ type: 'other', score: 0.05 });
  return found.filter((finding) => finding.score > 0);
}

const TEXT: Record<Language, { [K in RiskType]: string } & { none: string; actions: Record<RiskLevel, string> }> = {
  'zh-CN': {
    pedestrian_conflict: '行人与车辆距离较近',
    vehicle_conflict: '多辆车辆密集且在移动',
    wrong_way: '车辆逆行',
    congestion: '车辆聚集，疑似拥堵',
    stopped_vehicle: '车辆停留',
    collision: '疑似碰撞',
    other: '交通参与者聚集',
    none: '未发现明显风险',
    actions: {
      none: '无需处置。',
      low: '保持关注。',
      medium: '持续观察该区域，必要时通知现场人员。',
      high: '立即查看画面，通知现场人员到场处置。',
      critical: '立即处置：通知现场警力并做好应急准备。',
    },
  },
  en: {
    pedestrian_conflict: 'a person is close to a vehicle',
    vehicle_conflict: 'several vehicles are close together and moving',
    wrong_way: 'a vehicle drives the wrong way',
    congestion: 'vehicles are bunched up, likely congestion',
    stopped_vehicle: 'a vehicle has stopped',
    collision: 'a possible collision',
    other: 'road users are grouped together',
    none: 'no notable risk',
    actions: {
      none: 'No action needed.',
      low: 'Keep an eye on it.',
      medium: 'Keep watching the area; alert field staff if it persists.',
      high: 'Check the camera now and send field staff.',
      critical: 'Act now: alert the police on site and prepare an emergency response.',
    },
  },
};

/** Said in the description with the measure that decided, e.g. "行人与车辆 TTC 1.2 s". */
function measureNote(group: GroupFeatures, language: Language): string | null {
  const pair = group.min_ttc_pair ? group.conflicts.find((candidate) => candidate.ttc_s === group.min_ttc_s) : group.conflicts.find((candidate) => candidate.pet_s === group.min_pet_s && candidate.pet_s !== null);
  if (!pair) return null;
  const who = language === 'zh-CN' ? (pair.kind === 'person_vehicle' ? '行人与车辆' : '车辆之间') : pair.kind === 'person_vehicle' ? 'person and vehicle' : 'vehicles';
  const measure = pair.ttc_s !== null ? `TTC ${pair.ttc_s.toFixed(1)} s` : `PET ${pair.pet_s!.toFixed(1)} s`;
  return `${who} ${measure}`;
}

export function assessByRules(group: GroupFeatures, language: Language, ttcThresholdS = DEFAULT_TTC_THRESHOLD_S): Verdict {
  const found = findings(group, ttcThresholdS);
  const score = Math.round(clamp01(Math.max(0, ...found.map((finding) => finding.score))) * 1000) / 1000;
  const level = levelOf(score);
  const text = TEXT[language];
  const types = found.filter((finding) => finding.type !== 'other' && finding.score >= 0.2).map((finding) => finding.type);
  const separator = language === 'zh-CN' ? '；' : '; ';
  const note = types.length > 0 ? measureNote(group, language) : null;
  const summary = [...(types.length > 0 ? types.map((type) => text[type]) : [text.none]), ...(note ? [note] : [])].join(separator);
  const description = language === 'zh-CN' ? `规则评估：${summary}。` : `Rules assessment: ${summary}.`;
  const reasoning = found.map((finding) => `${finding.type}=${finding.score.toFixed(2)}`).join(', ');
  return { risk_level: level, risk_score: score, risk_types: types, description, recommended_action: text.actions[level], reasoning: reasoning || null };
}
