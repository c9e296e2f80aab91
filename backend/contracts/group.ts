// A group: road users close enough to interact, with the features the expander and the assessors use, and the
// surrogate safety measures of its pairs (time to collision, post-encroachment time). The measures came after
// version 1 was first published: they have defaults, so messages without them still parse.
import { z } from 'zod';
import { box, className, groupId } from './common.js';

const UNITS = 'metres (per second) when the group is `calibrated`, else source-frame pixels (per second)';
const trackNumber = z.number().int().nonnegative();
const measure = z.number().nonnegative();

export const CONFLICT_KINDS = ['person_vehicle', 'vehicle_vehicle'] as const;

export const conflictPair = z.object({
  track_ids: z.tuple([trackNumber, trackNumber]),
  classes: z.tuple([className, className]),
  kind: z.enum(CONFLICT_KINDS),
  ttc_s: measure.nullable().describe('Time until the two would first touch if both kept their velocity; null: not closing, beyond the horizon, or not `confident`.'),
  closing_speed: z.number().describe(`How fast the distance between their centres shrinks (negative: moving apart), ${UNITS}.`),
  min_separation: measure.describe(`Smallest predicted gap between them within the horizon, ${UNITS}.`),
  min_separation_in_s: measure.describe('When that smallest gap comes, seconds from this frame.'),
  pet_s: measure.nullable().describe('Post-encroachment time: from the first leaving a spot both passed to the second reaching it; null until both have.'),
  speeds: z.tuple([measure, measure]).describe(`Each one's speed, ${UNITS} (0 for one taken as still).`),
  speed_difference: measure.describe(`Magnitude of the difference of their velocities, ${UNITS}.`),
  track_age_frames: z.tuple([trackNumber, trackNumber]).describe('Frames each track has lasted: the measures rest on this much history.'),
  confident: z.boolean().describe('Both tracks old enough and both speeds plausible (not a detection jump).'),
});
export type ConflictPair = z.infer<typeof conflictPair>;

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
  calibrated: z.boolean().default(false).describe("Measures are on the camera's calibrated ground plane (metres); false: in image pixels."),
  min_ttc_s: measure.nullable().default(null).describe('Smallest confident time to collision of any pair, seconds; null: none.'),
  min_ttc_pair: z
    .object({ track_ids: z.tuple([trackNumber, trackNumber]), classes: z.tuple([className, className]) })
    .nullable()
    .default(null)
    .describe('The pair min_ttc_s belongs to.'),
  min_pet_s: measure.nullable().default(null).describe('Smallest post-encroachment time of any pair, seconds; null: none yet.'),
  conflicts: z.array(conflictPair).max(20).default([]).describe('Person–vehicle and vehicle–vehicle pairs, most urgent first (lowest time to collision, then closest approach).'),
});
export type GroupFeatures = z.infer<typeof groupFeatures>;

/** The measures of a group none could be computed for (a producer without tracks, a fixture). */
export function noConflictMeasures(): Pick<GroupFeatures, 'calibrated' | 'min_ttc_s' | 'min_ttc_pair' | 'min_pet_s' | 'conflicts'> {
  return { calibrated: false, min_ttc_s: null, min_ttc_pair: null, min_pet_s: null, conflicts: [] };
}
