// `tcr bench wall`: the camera wall of `tcr server` in headless Chromium with many live cameras. Real frames (the
// demo video through the real detector) are published for every camera at its frame rate; the page's animation
// frames, long tasks and tile repaints are measured with the wall still, live, and scrolled while live.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createEmbeddedBus } from '../bus/embedded/embeddedBus.js';
import { NotAvailableError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { outputOf, startTcr } from './benchProcesses.js';
import { percentile, round } from './percentile.js';
import { processTreeCpuSeconds } from './processCpu.js';
import { detectedFrames, startWallPublisher } from './wallFrames.js';
import { wallProbeExpression, type WallProbeResult } from './wallProbe.js';

export interface WallBenchOptions {
  cameras: number;
  fps: number;
  /** Seconds each measured phase lasts (the paused one at most 8: a camera without frames for 10 s turns stale). */
  phaseS: number;
  modelPath: string;
  video: string;
  /** Frames of the video detected once and replayed. */
  sampleFrames: number;
  chromiumPath: string;
  viewport: { width: number; height: number };
  scrollPxPerFrame: number;
  logger: Logger;
}

/** Frames slower than this are below 30 frames/s: the operator sees the wall stutter. */
const JANK_MS = 1000 / 30;
const PAUSED_PHASE_MAX_S = 8;
/** After pausing, frames already published still reach the page (the gateway polls the bus every 250 ms). */
const SETTLE_MS = 1000;
const DETECTION_TOPIC = 'detection-results';

type Phase = 'paused' | 'live' | 'live_scroll';

export async function runWallBench(options: WallBenchOptions): Promise<Record<string, unknown>> {
  const playwright = await import('playwright-core').catch(() => {
    throw new NotAvailableError('playwright-core (a development dependency of this repository: npm ci without --omit=dev)');
  });
  const workDir = mkdtempSync(join(tmpdir(), 'tcr-bench-wall-'));
  const dataDir = join(workDir, 'data');
  const configFile = join(workDir, 'tcr.yaml');
  writeFileSync(configFile, stringify({ data_dir: dataDir, gateway: { port: 0 }, log: { level: 'warn' } }));
  const frames = await detectedFrames(options.video, options.modelPath, options.sampleFrames);
  const server = startTcr(['server', '--config', configFile, '--roles', 'gateway', '--log-format', 'json']);
  const bus = createEmbeddedBus({ path: join(dataDir, 'bus.sqlite'), dlqTopic: 'dlq', retentionMs: 600_000, maxBytes: 2 ** 30, maxMessageBytes: 4 * 2 ** 20, logger: options.logger });
  let browserServer: Awaited<ReturnType<typeof playwright.chromium.launchServer>> | null = null;
  let publisher: ReturnType<typeof startWallPublisher> | null = null;
  try {
    const [, url] = await outputOf(server, /running: (http:\/\/\S+)/, 'the server to print its URL');
    const token = readFileSync(join(dataDir, 'gateway.token'), 'utf8').trim();
    publisher = startWallPublisher(bus.producer(), DETECTION_TOPIC, frames, options.cameras, options.fps);
    // Launched as a server so its process (and its renderer processes' CPU) can be measured.
    browserServer = await playwright.chromium.launchServer({ executablePath: options.chromiumPath, args: ['--no-sandbox'] });
    const browser = await playwright.chromium.connect(browserServer.wsEndpoint());
    // The probe is page script in a string, which the UI's strict CSP (no eval) would refuse.
    const page = await (await browser.newContext({ viewport: options.viewport, bypassCSP: true })).newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`${url}/wall#token=${token}`);
    // Every camera has a tile, and every tile on screen shows a frame.
    await page.waitForFunction(
      `(() => {
        const tiles = [...document.querySelectorAll('[data-testid=camera-tile]')];
        const onScreen = tiles.filter((tile) => tile.getBoundingClientRect().top < innerHeight);
        return tiles.length === ${options.cameras} && onScreen.every((tile) => tile.getAttribute('data-frame') !== '');
      })()`,
      undefined,
      { timeout: 60_000 },
    );
    const browserPid = browserServer.process().pid ?? null;
    const serverPid = server.process.pid ?? null;
    const phases: Partial<Record<Phase, Record<string, unknown>>> = {};
    const measure = async (phase: Phase, seconds: number, scrollPxPerFrame: number): Promise<void> => {
      const cpuBefore = { browser: browserPid && processTreeCpuSeconds(browserPid), server: serverPid && processTreeCpuSeconds(serverPid) };
      const publishedBefore = publisher!.published();
      const result = (await page.evaluate(wallProbeExpression({ durationMs: seconds * 1000, scrollPxPerFrame }))) as WallProbeResult;
      const elapsedS = result.elapsedMs / 1000;
      const cores = (pid: number | null, before: number | null | 0): number | null => {
        const after = pid ? processTreeCpuSeconds(pid) : null;
        return after === null || !before ? null : round((after - before) / elapsedS);
      };
      phases[phase] = phaseFigures(result, { published: publisher!.published() - publishedBefore, browserCores: cores(browserPid, cpuBefore.browser), serverCores: cores(serverPid, cpuBefore.server) });
    };

    await measure('live', options.phaseS, 0); // warms the page up; measured again below
    publisher.setPaused(true);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    await measure('paused', Math.min(PAUSED_PHASE_MAX_S, options.phaseS), 0);
    publisher.setPaused(false);
    await measure('live', options.phaseS, 0);
    await measure('live_scroll', options.phaseS, options.scrollPxPerFrame);
    const tiles = (await page.evaluate("document.querySelectorAll('[data-testid=camera-tile]').length")) as number;
    return {
      cameras: options.cameras,
      fps: options.fps,
      viewport: `${options.viewport.width}x${options.viewport.height}`,
      tiles,
      sample_frames: frames.length,
      sample_boxes_mean: round(frames.reduce((sum, frame) => sum + frame.detections.length, 0) / frames.length, 1),
      ...flatten(phases),
      live_to_paused_frame_p95: ratio(phases.live?.frame_ms_p95, phases.paused?.frame_ms_p95),
      scroll_to_paused_frame_p95: ratio(phases.live_scroll?.frame_ms_p95, phases.paused?.frame_ms_p95),
      console_errors: consoleErrors.length,
    };
  } finally {
    await browserServer?.close();
    await publisher?.stop();
    server.process.kill('SIGTERM');
    await server.exited;
    await bus.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function phaseFigures(result: WallProbeResult, load: { published: number; browserCores: number | null; serverCores: number | null }): Record<string, unknown> {
  const seconds = result.elapsedMs / 1000;
  const intervals = result.frameIntervalsMs;
  return {
    seconds: round(seconds, 1),
    frames_per_s: round(intervals.length / seconds, 1),
    frame_ms_p50: round(percentile(intervals, 0.5), 1),
    frame_ms_p95: round(percentile(intervals, 0.95), 1),
    frame_ms_p99: round(percentile(intervals, 0.99), 1),
    frame_ms_max: round(Math.max(0, ...intervals), 1),
    janky_share: round(intervals.filter((interval) => interval > JANK_MS).length / Math.max(1, intervals.length), 3),
    long_tasks: result.longTasksMs.length,
    long_task_ms_max: round(Math.max(0, ...result.longTasksMs), 1),
    published_per_s: round(load.published / seconds, 1),
    repaints_on_screen_per_s: round(result.repaintsOnScreen / seconds, 1),
    repaints_off_screen: result.repaintsOffScreen,
    heap_mb: result.heapBytes === null ? null : round(result.heapBytes / 2 ** 20, 1),
    browser_cores: load.browserCores,
    server_cores: load.serverCores,
  };
}

function flatten(phases: Partial<Record<Phase, Record<string, unknown>>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(phases).flatMap(([phase, figures]) => Object.entries(figures).map(([name, value]) => [`${phase}_${name}`, value])));
}

function ratio(a: unknown, b: unknown): number | null {
  return typeof a === 'number' && typeof b === 'number' && b > 0 ? round(a / b) : null;
}
