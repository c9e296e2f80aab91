// `tcr bench wall` end to end: the real server's wall in Chromium, fed real detections of the demo video.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runTcr } from '../support/runTcr.js';
import { useTempDir } from '../support/tempDir.js';

describe('e2e > tcr bench wall', () => {
  const temp = useTempDir();

  it('measures the wall still, live and scrolled, and writes every figure', async () => {
    const out = temp.path('wall.json');
    const run = await runTcr(['bench', 'wall', '--cameras', '12', '--fps', '2', '--phase', '2', '--sample-frames', '4', '--width', '1280', '--height', '720', '--json', out], {}, 150_000);
    expect(run.code, run.stderr).toBe(0);
    const figures = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(figures).toMatchObject({ cameras: 12, tiles: 12, console_errors: 0, paused_published_per_s: 0, paused_repaints_on_screen_per_s: 0 });
    expect(figures.sample_boxes_mean).toBeGreaterThan(0);
    for (const phase of ['paused', 'live', 'live_scroll']) {
      for (const name of ['frames_per_s', 'frame_ms_p50', 'frame_ms_p95', 'frame_ms_p99', 'janky_share', 'long_tasks', 'repaints_off_screen', 'browser_cores', 'server_cores']) {
        expect(typeof figures[`${phase}_${name}`], `${phase}_${name}`).toBe('number');
      }
    }
    // Live cameras repaint the tiles on screen; the figures are what the targets are judged on.
    expect(figures.live_repaints_on_screen_per_s).toBeGreaterThan(0);
    expect(figures.live_scroll_repaints_on_screen_per_s).toBeGreaterThan(0);
    expect(typeof figures.targets_met).toBe('boolean');
    expect(run.stdout).toMatch(/^live_frame_ms_p95\s+[\d.]+$/m);
  }, 180_000);
});
