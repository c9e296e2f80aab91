// The conflict measures' part of the config: a camera's optional ground-plane calibration (refused at load when
// it cannot define a plane) and how time-to-collision and post-encroachment time are computed and gated.
import { z } from 'zod';
import { fitHomography } from '../core/homography.js';

/** A calibration point off the plane the others define by more than this is a typo, not survey noise. */
export const MAX_CALIBRATION_ERROR_M = 1;

const point = z.tuple([z.number().finite(), z.number().finite()]);

export const calibrationSchema = z
  .strictObject({
    points: z
      .array(z.strictObject({ image: point.describe('Pixel [x, y] in the source frame.'), ground: point.describe('The same spot on the road, [x, y] in metres.') }))
      .nullable()
      .default(null)
      .describe('Four or more surveyed points (no three of four on one line): a homography from the image to the road plane.'),
    scale: z
      .strictObject({
        metres_per_pixel: z.number().positive().max(100).describe('Metres one pixel spans at reference_row.'),
        reference_row: z.number().nonnegative().describe('Image row (pixels from the top) where metres_per_pixel was measured.'),
        horizon_row: z
          .number()
          .nullable()
          .default(null)
          .describe('Row of the horizon: the scale then grows towards it as 1 / (row − horizon_row); null: the same scale everywhere (a camera looking down).'),
      })
      .nullable()
      .default(null)
      .describe('A single scale instead of points: coarser, for cameras looking down or a short stretch of road.'),
  })
  .superRefine((calibration, ctx) => {
    if ((calibration.points === null) === (calibration.scale === null)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give either points or scale' });
      return;
    }
    if (calibration.scale) {
      const { horizon_row: horizon, reference_row: reference } = calibration.scale;
      if (horizon !== null && horizon >= reference) ctx.addIssue({ code: 'custom', path: ['scale', 'horizon_row'], message: 'must be above reference_row (a smaller row number)' });
      return;
    }
    const fit = fitHomography(calibration.points!);
    if (!fit.ok) ctx.addIssue({ code: 'custom', path: ['points'], message: fit.problem });
    else if (fit.maxErrorM > MAX_CALIBRATION_ERROR_M) {
      ctx.addIssue({ code: 'custom', path: ['points'], message: `the points disagree: one lies ${fit.maxErrorM.toFixed(2)} m off the plane the others define (a typo in a coordinate?)` });
    }
  });

export type Calibration = z.infer<typeof calibrationSchema>;

export const conflictSchema = z
  .strictObject({
    ttc_threshold_s: z.number().positive().max(60).default(1.5).describe('A time-to-collision at or under this is a serious conflict: the task goes first, and crossing it makes a group worth publishing again.'),
    horizon_s: z.number().positive().max(120).default(30).describe('Times to collision beyond this, and the closest approach, are not looked for further ahead.'),
    link_ttc_s: z.number().min(0).max(120).default(10).describe('Road users further apart than the group link distance still form a group when on course to touch within this (0: only nearness groups).'),
    link_pet_s: z.number().min(0).max(60).default(3).describe('…or when their paths cross and one reached a spot the other had left at most this long before (post-encroachment time; 0: never).'),
    min_track_age_frames: z.number().int().min(1).default(3).describe('Both tracks of a pair must be this many frames old before their time to collision counts (a new track has no velocity yet).'),
    motion_window_ms: z.number().int().positive().default(2000).describe('A road user counts as moving when its box centre moved along a line by the larger of min_motion_factor × its size and min_motion_px within this long.'),
    min_motion_factor: z.number().nonnegative().default(0.15).describe('Movement, × the box size (√area), within motion_window_ms to count as moving; less is box jitter and the road user is taken as still.'),
    min_motion_px: z.number().nonnegative().default(10).describe('…and at least this many pixels, whatever the box size (a detector\'s jitter is a few pixels).'),
    max_speed_sizes_per_s: z.number().positive().default(10).describe('Without calibration: a track faster than this × its size per second is a detection jump, not motion, and gets no time to collision.'),
    max_speed_m_s: z
      .record(z.string().min(1), z.number().positive())
      .default({ person: 12, bicycle: 20, motorcycle: 60, car: 70, bus: 40, truck: 45 })
      .describe('With calibration: per class, speeds above this are detection jumps (classes not listed: 70).'),
    history_ms: z.number().int().positive().max(120_000).default(10_000).describe('How long each track\'s path is kept for post-encroachment time.'),
    vehicle_pair_classes: z
      .array(z.string().min(1))
      .default(['car', 'bus', 'truck', 'motorcycle', 'bicycle'])
      .describe('Classes paired with each other for vehicle–vehicle measures; person–vehicle pairs use groups.person_classes × groups.vehicle_classes (riders are not paired with their two-wheeler).'),
  })
  .prefault({});
