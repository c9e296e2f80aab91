// `tcr groups --tracks`: recorded tracks in, one JSON line of groups with their measures out per frame.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runTcr } from '../../support/runTcr.js';
import { useTempDir } from '../../support/tempDir.js';

type Box = [number, number, number, number];
const frame = (tMs: number, tracks: [number, string, Box][]) => JSON.stringify({ t_ms: tMs, width: 1280, height: 720, tracks: tracks.map(([id, cls, box]) => ({ track_id: id, class: cls, box })) });

/** A car at 8 px/frame and a person at 2 px/frame towards each other, 5 frames a second: contact at 400 / 50 s. */
function headOn(frames: number): string[] {
  return Array.from({ length: frames }, (_, k) => frame(k * 200, [[7, 'car', [100 + 8 * k, 300, 200 + 8 * k, 350]], [9, 'person', [600 - 2 * k, 280, 630 - 2 * k, 360]]]));
}

interface Line {
  t_ms: number;
  groups: { calibrated: boolean; min_ttc_s: number | null; conflicts: { kind: string }[] }[];
}

describe('cli > tcr groups', () => {
  const temp = useTempDir();

  it('prints one line per frame, the head-on pair with its time to contact within 10 %, uncalibrated', async () => {
    const run = await runTcr(['groups', '--tracks', temp.write('headon.jsonl', `${headOn(30).join('\n')}\n`)]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Line);
    expect(lines.map((line) => line.t_ms)).toEqual(Array.from({ length: 30 }, (_, k) => k * 200));
    const measured = lines.filter((line) => line.groups[0]?.min_ttc_s != null);
    expect(measured.length).toBeGreaterThan(20);
    for (const line of measured) {
      const truth = 400 / 50 - line.t_ms / 1000;
      expect(Math.abs(line.groups[0]!.min_ttc_s! - truth)).toBeLessThanOrEqual(0.1 * truth);
    }
    expect(lines.flatMap((line) => line.groups).every((group) => group.calibrated === false && group.conflicts[0]?.kind === 'person_vehicle')).toBe(true);
  });

  it("measures in metres with a configured camera's calibration", async () => {
    const config = temp.write('tcr.yaml', stringify({ cameras: [{ id: 'cam-1', name: 'x', url: 'rtsp://h/x', calibration: { scale: { metres_per_pixel: 0.05, reference_row: 350 } } }] }));
    const run = await runTcr(['groups', '--tracks', temp.write('headon.jsonl', headOn(10).join('\n')), '--config', config, '--camera', 'cam-1']);
    expect(run.code, run.stderr).toBe(0);
    const last = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { groups: { calibrated: boolean; conflicts: { speeds: number[] }[] }[] };
    expect(last.groups[0]!.calibrated).toBe(true);
    expect(last.groups[0]!.conflicts[0]!.speeds[0]).toBeCloseTo(2, 1); // 40 px/s × 5 cm
  });

  it('skips a bad line with its line number and reason, goes on, and exits 2 at the end', async () => {
    const [first, second, third] = headOn(3);
    const bad = [
      first,
      'not json',
      frame(100, [[1, 'car', [10, 10, 5, 5]]]),
      JSON.stringify({ t_ms: 300, width: 1280, height: 720, tracks: [{ track_id: 1, class: 'car', box: [0, 0, 1, 1], speed: 3 }] }),
      second,
      frame(100, []), // back in time
      third,
    ];
    const run = await runTcr(['groups', '--tracks', temp.write('bad.jsonl', bad.join('\n'))]);
    expect(run.code).toBe(2);
    expect(run.stdout.trim().split('\n')).toHaveLength(3);
    expect(run.stderr).toContain('bad.jsonl:2: not JSON');
    expect(run.stderr).toContain('bad.jsonl:3: tracks.0.box: box must be [x1, y1, x2, y2]');
    expect(run.stderr).toMatch(/bad\.jsonl:4: .*speed/);
    expect(run.stderr).toContain('bad.jsonl:6: t_ms 100 is not after the previous frame');
    expect(run.stderr).toContain('4 of 7 lines skipped');
  });

  it('exits 2 naming a missing file or an unknown camera', async () => {
    const missing = await runTcr(['groups', '--tracks', temp.path('nope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.jsonl: no such file');
    const unknown = await runTcr(['groups', '--tracks', temp.write('one.jsonl', headOn(1)[0]!), '--camera', 'cam-9']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no camera "cam-9"');
  });
});
