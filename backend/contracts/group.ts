// A group: road users close enough to interact, with the features the expander and the assessors use.
import { z } from 'zod';
import { box, className, groupId } from './common.js';

export const groupFeatures = z.object({
  group_id: groupId,
  track_ids: z.array(z.number().int().nonnegative()).min(1).max(1000).describe('Tracks in this group.'),
  members_by_class: z.record(className, z.number().int().positive()).describe('Member count per class.'),
  region: box.describe('Bounding region of all members, source-frame pixels.'),
  min_person_vehicle_distance_px: z
    .number()
    .nonnegative()
    .nullable()
    .describe('Smallest gap between a person box and a vehicle box; null without both.'),
  density: z.number().nonnegative().describe('Summed member box area / region area.'),
  mean_speed_px_s: z.number().nonnegative().describe('Mean member speed, pixels per second.'),
  stationary: z.boolean().describe('True when no member moved materially.'),
});
export type GroupFeatures = z.infer<typeof groupFeatures>;
