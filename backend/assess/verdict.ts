// What an assessor concludes about one group, before it becomes a result message.
import { z } from 'zod';
import { riskLevel, riskType, score01, type GroupFeatures } from '../contracts/index.js';

export type Language = 'zh-CN' | 'en';

/** The answer the prompt asks the model for; also what the rules assessor produces. */
export const verdictSchema = z.strictObject({
  risk_level: riskLevel,
  risk_score: score01,
  risk_types: z.array(riskType).max(7).transform((types) => [...new Set(types)]),
  description: z.string().trim().min(1).max(4000),
  recommended_action: z.string().trim().min(1).max(1000),
  reasoning: z.string().max(16000).nullable().default(null),
});
export type Verdict = z.infer<typeof verdictSchema>;

const VEHICLES = new Set(['car', 'truck', 'bus', 'motorcycle', 'bicycle']);

/** Members of a group counted as people and as vehicles (two-wheelers count as vehicles: they hit people too). */
export function memberCounts(group: GroupFeatures): { people: number; vehicles: number; total: number } {
  let people = 0;
  let vehicles = 0;
  let total = 0;
  for (const [name, count] of Object.entries(group.members_by_class)) {
    total += count;
    if (name === 'person') people += count;
    else if (VEHICLES.has(name)) vehicles += count;
  }
  return { people, vehicles, total };
}

/** The person–vehicle gap against the group's size: 30 px is close in a distant scene and far in a close-up. */
export function relativeGap(group: GroupFeatures): number | null {
  const gap = group.min_person_vehicle_distance_px;
  if (gap === null) return null;
  const [x1, y1, x2, y2] = group.region;
  return gap / Math.max(1, Math.sqrt((x2 - x1) * (y2 - y1)));
}
