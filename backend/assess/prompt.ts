// The assessment prompt: a file under config/prompts/ operators may edit, with {{placeholders}} filled from the task.
import { readFileSync } from 'node:fs';
import type { AssessmentTaskMessage } from '../contracts/index.js';
import { ConfigError } from '../core/errors.js';
import type { Language } from './verdict.js';

export const PLACEHOLDERS = ['camera_name', 'camera_id', 'captured_at', 'members', 'person_vehicle_gap', 'mean_speed', 'density', 'stationary', 'conflict_measures', 'image_note'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{\s*([A-Za-z_]+)\s*\}\}/g;
const MAX_PROMPT_BYTES = 64 * 1024;

export interface PromptTemplate {
  readonly file: string;
  readonly text: string;
  readonly language: Language;
}

export function defaultPromptFile(language: Language): string {
  return `config/prompts/risk_assessment.${language}.md`;
}

/** Reads and checks the template at start-up: a typo in a placeholder stops the instance, naming file and line. */
export function loadPromptTemplate(file: string, language: Language): PromptTemplate {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ file, path: '', message: `cannot read the prompt file (${(error as NodeJS.ErrnoException).code ?? String(error)})` }]);
  }
  const problems = [];
  if (Buffer.byteLength(text) > MAX_PROMPT_BYTES) problems.push({ file, path: '', message: `the prompt is over ${MAX_PROMPT_BYTES} bytes` });
  if (text.trim() === '') problems.push({ file, path: '', message: 'the prompt is empty' });
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(match[1]!)) {
      const line = text.slice(0, match.index).split('\n').length;
      problems.push({ file, path: '', line, message: `unknown placeholder {{${match[1]}}} (known: ${PLACEHOLDERS.join(', ')})` });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { file, text, language };
}

const WORDS: Record<Language, { none: string; yes: string; no: string; image: string; noImage: string; noConflict: string; uncalibrated: string; closing: string; speeds: string; classes: Record<string, string> }> = {
  'zh-CN': {
    none: '无（组内没有同时出现行人和车辆）',
    noConflict: '无（没有正在接近的成员对）',
    uncalibrated: '（未标定，按画面像素计算）',
    closing: '接近速度',
    speeds: '各自速度',
    yes: '是',
    no: '否',
    image: '附图为该组的裁剪画面。',
    noImage: '本组没有裁剪画面，请仅根据以上数据判断。',
    classes: { person: '行人', bicycle: '自行车', car: '小汽车', motorcycle: '摩托车', bus: '公交车', truck: '货车' },
  },
  en: {
    none: 'none (the group does not hold both a person and a vehicle)',
    noConflict: 'none (no pair is closing in)',
    uncalibrated: ' (uncalibrated: in image pixels)',
    closing: 'closing',
    speeds: 'speeds',
    yes: 'yes',
    no: 'no',
    image: 'The attached image is the group crop.',
    noImage: 'There is no image of this group; judge from the figures above.',
    classes: {},
  },
};

export function renderPrompt(template: PromptTemplate, task: AssessmentTaskMessage, cameraName: string, hasImage: boolean): string {
  const words = WORDS[template.language];
  const group = task.group;
  const members = Object.entries(group.members_by_class)
    .map(([name, count]) => `${words.classes[name] ?? name} × ${count}`)
    .join(template.language === 'zh-CN' ? '，' : ', ');
  const gap = group.min_person_vehicle_distance_px;
  const values: Record<Placeholder, string> = {
    camera_name: cameraName,
    camera_id: task.camera_id,
    captured_at: new Date(task.captured_at_ms).toISOString(),
    members,
    person_vehicle_gap: gap === null ? words.none : `${Math.round(gap)} px`,
    mean_speed: `${Math.round(group.mean_speed_px_s)} px/s`,
    density: group.density.toFixed(2),
    stationary: group.stationary ? words.yes : words.no,
    conflict_measures: conflictMeasures(group, words),
    image_note: hasImage ? words.image : words.noImage,
  };
  return template.text.replace(PLACEHOLDER, (_whole, name: string) => values[name as Placeholder]);
}

/** The most urgent pairs' time to collision and post-encroachment time, one per line, with their units. */
function conflictMeasures(group: AssessmentTaskMessage['group'], words: (typeof WORDS)[Language]): string {
  const unit = group.calibrated ? 'm' : 'px';
  const lines = group.conflicts
    .filter((pair) => pair.ttc_s !== null || pair.pet_s !== null)
    .slice(0, 3)
    .map((pair) => {
      const who = pair.classes.map((name, index) => `${words.classes[name] ?? name}#${pair.track_ids[index]}`).join(' – ');
      const ttc = pair.ttc_s === null ? '' : ` TTC ${pair.ttc_s.toFixed(1)} s`;
      const pet = pair.pet_s === null ? '' : ` PET ${pair.pet_s.toFixed(1)} s`;
      return `${who}:${ttc}${pet}, ${words.closing} ${pair.closing_speed.toFixed(1)} ${unit}/s, ${words.speeds} ${pair.speeds.map((speed) => speed.toFixed(1)).join(' / ')} ${unit}/s`;
    });
  if (lines.length === 0) return words.noConflict;
  return `${lines.join('; ')}${group.calibrated ? '' : words.uncalibrated}`;
}
