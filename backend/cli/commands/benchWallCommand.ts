// `tcr bench wall`: how smooth the camera wall stays in headless Chromium with many live cameras (issue 15).
import type { Command } from 'commander';
import { ReportedFailure } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { runWallBench } from '../../bench/wallBench.js';
import { report } from './benchReport.js';
import { nonNegativeNumber, positiveInt, positiveNumber } from '../optionParsers.js';

interface BenchWallOptions {
  cameras: number;
  fps: number;
  phase: number;
  model: string;
  video: string;
  sampleFrames: number;
  chromium: string;
  width: number;
  height: number;
  scrollPx: number;
  json?: string;
  strict?: boolean;
}

/**
 * Smooth: while live and while scrolled, 95 % of animation frames within 1/30 s; no tile repainted off screen
 * while the wall is still, and hardly any (≤ 1 %: a frame decoding as its tile leaves) while it scrolls; every
 * camera on the wall; no console error.
 */
function wallTargets(figures: Record<string, unknown>): string[] {
  const missed: string[] = [];
  for (const phase of ['live', 'live_scroll']) {
    const p95 = Number(figures[`${phase}_frame_ms_p95`]);
    if (!(p95 <= 1000 / 30 + 0.5)) missed.push(`${phase}: 95th percentile frame ${String(figures[`${phase}_frame_ms_p95`])} ms (target ≤ 33.3 ms)`);
  }
  if (figures.live_repaints_off_screen !== 0) missed.push(`live: ${String(figures.live_repaints_off_screen)} repaints off screen`);
  const scrolled = Number(figures.live_scroll_repaints_off_screen);
  const allowed = 0.01 * Number(figures.live_scroll_repaints_on_screen_per_s) * Number(figures.live_scroll_seconds);
  if (!(scrolled <= allowed)) missed.push(`live_scroll: ${String(figures.live_scroll_repaints_off_screen)} repaints off screen (target ≤ 1 % of those on screen)`);
  if (figures.tiles !== figures.cameras) missed.push(`${String(figures.tiles)} tiles for ${String(figures.cameras)} cameras`);
  if (figures.console_errors !== 0) missed.push(`${String(figures.console_errors)} console errors`);
  return missed;
}

export function registerBenchWallCommand(bench: Command): void {
  bench
    .command('wall')
    .description('the camera wall of `tcr server` in headless Chromium with many live cameras: animation frames, long tasks, repaints')
    .option('--cameras <n>', 'cameras on the wall', positiveInt, 100)
    .option('--fps <n>', 'frames per second per camera', positiveNumber, 1)
    .option('--phase <s>', 'seconds each measured phase lasts', positiveNumber, 20)
    .option('--model <path>', 'detector the replayed frames are detected with once', 'resources/models/yolox_nano.onnx')
    .option('--video <file>', 'video the replayed frames come from', 'resources/demo/street-demo.mp4')
    .option('--sample-frames <n>', 'frames of the video detected and replayed', positiveInt, 24)
    .option('--chromium <path>', 'Chromium executable', process.env.TCR_CHROMIUM ?? '/usr/bin/chromium')
    .option('--width <px>', 'browser viewport width', positiveInt, 1920)
    .option('--height <px>', 'browser viewport height', positiveInt, 1080)
    .option('--scroll-px <n>', 'pixels scrolled per animation frame in the scrolling phase', nonNegativeNumber, 12)
    .option('--json <file>', 'also write the figures to this file')
    .option('--strict', 'exit 1 when a target is missed')
    .action(async (options: BenchWallOptions) => {
      const figures = await runWallBench({
        cameras: options.cameras,
        fps: options.fps,
        phaseS: options.phase,
        modelPath: options.model,
        video: options.video,
        sampleFrames: options.sampleFrames,
        chromiumPath: options.chromium,
        viewport: { width: options.width, height: options.height },
        scrollPxPerFrame: options.scrollPx,
        logger: createLogger({ level: 'warn', format: 'json' }),
      });
      const missed = wallTargets(figures);
      report({ ...figures, targets_met: missed.length === 0, targets_missed: missed }, options.json);
      if (options.strict && missed.length > 0) throw new ReportedFailure(`targets missed: ${missed.join('; ')}`);
    });
}
