// A camera's ground plane: the projective map (homography) from image pixels to metres on a flat road, fitted to
// four or more surveyed points. Shared by config validation (a point set that cannot define one is refused at
// load) and detection (conflict measures in metres).

export type Point = readonly [number, number];
/** Row-major 3 × 3. */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

export interface PointPair {
  image: Point;
  ground: Point;
}

export type HomographyFit = { ok: true; homography: Homography; maxErrorM: number } | { ok: false; problem: string };

/** Points closer to one line than this share of their spread are collinear. */
const COLLINEAR_RATIO = 1e-3;

/**
 * Least-squares fit (direct linear transform with h33 = 1, on Hartley-normalized points). Refused: fewer than four
 * points, image or ground points (nearly) on one line, four points of which three are on one line, a map that
 * folds the points over its horizon, a singular map.
 */
export function fitHomography(pairs: readonly PointPair[]): HomographyFit {
  if (pairs.length < 4) return { ok: false, problem: `needs at least 4 points, got ${pairs.length}` };
  const image = pairs.map((pair) => pair.image);
  const ground = pairs.map((pair) => pair.ground);
  for (const [name, points] of [['image', image], ['ground', ground]] as const) {
    if (isCollinear(points)) return { ok: false, problem: `the ${name} points lie on one line (they must span an area of the road)` };
    if (points.length === 4) {
      for (let skip = 0; skip < 4; skip++) {
        const three = points.filter((_, index) => index !== skip);
        if (isCollinear(three)) return { ok: false, problem: `three of the four ${name} points lie on one line` };
      }
    }
  }
  const [imageNorm, imageT] = normalize(image);
  const [groundNorm, groundT] = normalize(ground);
  const rows: number[][] = [];
  const rhs: number[] = [];
  imageNorm.forEach(([x, y], index) => {
    const [u, v] = groundNorm[index]!;
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    rhs.push(u);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    rhs.push(v);
  });
  const h = solveLeastSquares(rows, rhs);
  if (h === null) return { ok: false, problem: 'the points do not determine a ground plane (degenerate layout)' };
  const normalized: Homography = [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1];
  const full = multiply(multiply(invert(groundT)!, normalized), imageT);
  if (Math.abs(full[8]) < 1e-12) return { ok: false, problem: 'the map puts the image origin on the horizon' };
  const homography = full.map((value) => value / full[8]) as unknown as Homography;
  if (invert(homography) === null) return { ok: false, problem: 'the fitted map is not invertible' };
  const sides = image.map(([x, y]) => Math.sign(homography[6] * x + homography[7] * y + 1));
  if (new Set(sides).size > 1) return { ok: false, problem: 'the points lie on both sides of the horizon the fit implies (check their order)' };
  let maxErrorM = 0;
  pairs.forEach((pair) => {
    const mapped = applyHomography(homography, pair.image);
    maxErrorM = Math.max(maxErrorM, mapped === null ? Infinity : Math.hypot(mapped[0] - pair.ground[0], mapped[1] - pair.ground[1]));
  });
  return { ok: true, homography, maxErrorM };
}

/** The ground point of an image point; null at or beyond the horizon (the sky, in a perspective view). */
export function applyHomography(h: Homography, [x, y]: Point): [number, number] | null {
  const w = h[6] * x + h[7] * y + h[8];
  if (!(w > 1e-12)) return null;
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
}

function isCollinear(points: readonly Point[]): boolean {
  const n = points.length;
  const [mx, my] = [points.reduce((s, p) => s + p[0], 0) / n, points.reduce((s, p) => s + p[1], 0) / n];
  let [sxx, syy, sxy] = [0, 0, 0];
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
    sxy += (x - mx) * (y - my);
  }
  // Eigenvalues of the scatter matrix: the smaller one is the spread across the best-fitting line.
  const mean = (sxx + syy) / 2;
  const spread = Math.sqrt(((sxx - syy) / 2) ** 2 + sxy ** 2);
  const [large, small] = [mean + spread, mean - spread];
  return large === 0 || Math.sqrt(Math.max(0, small) / large) < COLLINEAR_RATIO;
}

/** Centroid to the origin and mean distance √2: the linear system is then well conditioned. */
function normalize(points: readonly Point[]): [Point[], Homography] {
  const n = points.length;
  const [mx, my] = [points.reduce((s, p) => s + p[0], 0) / n, points.reduce((s, p) => s + p[1], 0) / n];
  const meanDistance = points.reduce((s, [x, y]) => s + Math.hypot(x - mx, y - my), 0) / n;
  const k = Math.SQRT2 / meanDistance;
  return [points.map(([x, y]) => [(x - mx) * k, (y - my) * k] as const), [k, 0, -k * mx, 0, k, -k * my, 0, 0, 1]];
}

/** Normal equations by Gaussian elimination with partial pivoting; null when singular. */
function solveLeastSquares(rows: readonly number[][], rhs: readonly number[]): number[] | null {
  const size = rows[0]!.length;
  const a = Array.from({ length: size }, (_, i) => [...Array.from({ length: size }, (_, j) => rows.reduce((s, row) => s + row[i]! * row[j]!, 0)), rows.reduce((s, row, r) => s + row[i]! * rhs[r]!, 0)]);
  const scale = Math.max(...a.map((row, i) => Math.abs(row[i]!)));
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let r = col + 1; r < size; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-10 * scale) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < size; r++) {
      if (r === col) continue;
      const factor = a[r]![col]! / a[col]![col]!;
      for (let c = col; c <= size; c++) a[r]![c]! -= factor * a[col]![c]!;
    }
  }
  return a.map((row, i) => row[size]! / row[i]!);
}

function multiply(a: Homography, b: Homography): Homography {
  const out: number[] = [];
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out.push(a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!);
  return out as unknown as Homography;
}

function invert(m: Homography): Homography | null {
  const [a, b, c, d, e, f, g, h, i] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  const size = Math.max(...m.map(Math.abs));
  if (!(Math.abs(det) > 1e-12 * size ** 3)) return null;
  return [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det, (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det, (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det];
}
