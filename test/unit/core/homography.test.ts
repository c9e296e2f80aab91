import { describe, expect, it } from 'vitest';
import { applyHomography, fitHomography, type Homography, type Point } from '../../../backend/core/homography.js';

// A perspective view of a road: rows further up are further away (a real camera's map, not an affine one).
const TRUE_MAP: Homography = [0.021, 0.0012, -4.6, 0.0004, 0.048, -9.7, 0.000011, 0.00081, 1];
const pairsOf = (points: Point[]) => points.map((image) => ({ image, ground: applyHomography(TRUE_MAP, image)! }));

describe('core > homography', () => {
  it('fits four surveyed points and maps other points of the road to within 1 cm', () => {
    const fit = fitHomography(pairsOf([[110, 420], [1170, 405], [1240, 700], [60, 690]]));
    expect(fit.ok).toBe(true);
    if (!fit.ok) return;
    for (const point of [[640, 560], [300, 450], [1000, 680]] as const) {
      const [mapped, truth] = [applyHomography(fit.homography, point)!, applyHomography(TRUE_MAP, point)!];
      expect(Math.hypot(mapped[0] - truth[0], mapped[1] - truth[1])).toBeLessThan(0.01);
    }
  });

  it('fits more points by least squares and says how far the worst one is off', () => {
    const pairs = pairsOf([[110, 420], [1170, 405], [1240, 700], [60, 690], [640, 520], [900, 610]]);
    pairs[5] = { ...pairs[5]!, ground: [pairs[5]!.ground[0] + 3, pairs[5]!.ground[1]] }; // a typo of 3 m
    const fit = fitHomography(pairs);
    expect(fit.ok && fit.maxErrorM).toBeGreaterThan(1);
  });

  it('refuses fewer than four points, points on one line, and four points of which three are on one line', () => {
    expect(fitHomography(pairsOf([[0, 400], [100, 400], [100, 500]]))).toEqual({ ok: false, problem: 'needs at least 4 points, got 3' });
    expect(fitHomography(pairsOf([[0, 400], [100, 410], [200, 420], [300, 430]]))).toMatchObject({ ok: false, problem: expect.stringContaining('lie on one line') });
    expect(fitHomography(pairsOf([[0, 400], [100, 400], [200, 400], [100, 600]]))).toMatchObject({ ok: false, problem: 'three of the four image points lie on one line' });
    const groundOnALine = [[0, 400], [100, 400], [100, 600], [0, 600]].map((image, index) => ({ image: image as unknown as Point, ground: [index, 2 * index] as const }));
    expect(fitHomography(groundOnALine)).toMatchObject({ ok: false, problem: expect.stringContaining('ground points lie on one line') });
  });

  it('has no ground point above the horizon', () => {
    const fit = fitHomography(pairsOf([[110, 420], [1170, 405], [1240, 700], [60, 690]]));
    expect(fit.ok && applyHomography(fit.homography, [640, -2000])).toBeNull();
  });
});
