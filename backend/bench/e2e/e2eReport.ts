// The acceptance run's report: a Markdown file with every target passed or missed, the figures, each fault's
// recovery and alert, where the CPU went, and three charts drawn by the renderer's report page (recharts) in
// headless Chromium and saved as PNG beside the report.
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotAvailableError } from '../../core/errors.js';
import type { E2eResult } from './e2eBench.js';
import type { FaultFigures } from './e2eFigures.js';

const BUILT_UI = fileURLToPath(new URL('../../../dist/renderer', import.meta.url));
const CHARTS = ['latency', 'throughput', 'lag'] as const;
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** The built renderer and the run's series on a loopback port, for the report page to load. */
async function serveReportPage(series: unknown): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify(series);
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://report').pathname;
    if (path === '/bench-series.json') return void res.writeHead(200, { 'content-type': TYPES['.json'] }).end(body);
    const file = normalize(join(BUILT_UI, path));
    if (!file.startsWith(BUILT_UI) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Draws the charts into `<report>-<chart>.png`; the files written. */
export async function renderCharts(result: Pick<E2eResult, 'series'>, reportFile: string, chromiumPath: string): Promise<string[]> {
  if (!existsSync(join(BUILT_UI, 'report.html'))) throw new NotAvailableError('the built report page (dist/renderer/report.html; `npm run build:web` makes it)');
  const playwright = await import('playwright-core').catch(() => {
    throw new NotAvailableError('playwright-core (a development dependency of this repository: npm ci without --omit=dev)');
  });
  const page = await serveReportPage(result.series);
  const browser = await playwright.chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  try {
    const tab = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
    await tab.goto(`${page.url}/report.html`);
    await tab.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const stem = reportFile.slice(0, reportFile.length - extname(reportFile).length);
    const files: string[] = [];
    for (const chart of CHARTS) {
      const file = `${stem}-${chart}.png`;
      await tab.locator(`[data-testid="chart-${chart}"]`).screenshot({ path: file });
      files.push(file);
    }
    return files;
  } finally {
    await browser.close();
    await page.close();
  }
}

const cell = (value: unknown): string => (value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value)).replace(/\|/g, '\\|');

function faultRows(faults: readonly FaultFigures[]): string[] {
  return faults.map((fault) =>
    [
      fault.fault,
      fault.injected_at_s,
      fault.removed_at_s,
      fault.recovered_at_s,
      fault.recovery_s,
      fault.tasks_affected,
      `${fault.alert.check}${fault.alert.subject ? ` (${fault.alert.subject})` : ''}`,
      fault.alert.fired ? `yes, +${fault.alert.fired_after_s} s` : '**no**',
      fault.alert.cleared ? `yes, +${fault.alert.cleared_after_removed_s} s after removal` : '**no**',
      fault.detail,
    ]
      .map(cell)
      .join(' | '),
  );
}

export function e2eMarkdown(result: E2eResult, charts: readonly string[], command: string): string {
  const { figures, targets } = result;
  const faults = (figures.faults as FaultFigures[] | undefined) ?? [];
  const cores = Object.entries((figures.cpu_cores_used as Record<string, number> | undefined) ?? {}).sort((a, b) => b[1] - a[1]);
  const scalar = Object.entries(figures).filter(([name, value]) => name !== 'faults' && name !== 'cpu_cores_used' && (typeof value !== 'object' || value === null || ['dlq', 'max_lag', 'stage_p50_ms', 'detection'].includes(name)));
  const lines = [
    '# Acceptance run (`tcr bench e2e`)',
    '',
    `Run \`${cell(figures.run_id)}\`, ${new Date(result.series.fromMs).toISOString()}: \`${command}\`.`,
    '',
    `**${targets.filter((target) => target.pass).length} of ${targets.length} targets met.**`,
    '',
    '## Targets',
    '',
    '| target | wanted | measured | |',
    '|---|---|---|---|',
    ...targets.map((target) => `| ${cell(target.name)} | ${cell(target.target)} | ${cell(target.measured)} | ${target.pass ? 'pass' : '**FAIL**'} |`),
    '',
    '## Faults',
    '',
    'Seconds from the start of the measured window. Recovered: the consumer lag back to its pre-fault level (the camera: live again).',
    '',
    '| fault | injected | removed | recovered | recovery s | tasks affected | alert | fired | cleared | what |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...faultRows(faults).map((row) => `| ${row} |`),
    '',
    '## Charts',
    '',
    'Shaded: each fault from injection to recovery.',
    '',
    ...charts.map((file) => `![${basename(file, '.png')}](${basename(file)})`),
    '',
    '## Where the CPU went',
    '',
    `CPU cores used per process over the measured window (this machine: the sum is at most its core count; total ${cell(figures.cpu_cores_total)}).`,
    '',
    '| process | cores |',
    '|---|---|',
    ...cores.map(([role, value]) => `| ${cell(role)} | ${cell(value)} |`),
    '',
    '## Figures',
    '',
    '| figure | value |',
    '|---|---|',
    ...scalar.map(([name, value]) => `| ${cell(name)} | ${cell(value)} |`),
    '',
  ];
  return lines.join('\n');
}

export async function writeE2eReport(reportFile: string, result: E2eResult, options: { chromiumPath: string; command: string }): Promise<{ charts: string[] }> {
  const charts = await renderCharts(result, reportFile, options.chromiumPath);
  writeFileSync(reportFile, e2eMarkdown(result, charts, options.command));
  return { charts };
}
