// Entry of report.html: the charts of a `tcr bench e2e` run, which the bench opens in headless Chromium and
// photographs into the report's PNG files. It reads the run from bench-series.json beside the page.
import { createRoot } from 'react-dom/client';
import type { BenchSeries } from '../../../backend/contracts/index.js';
import { BenchCharts } from './BenchCharts.js';

async function main(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) return;
  const series = (await (await fetch('./bench-series.json')).json()) as BenchSeries;
  createRoot(root).render(<BenchCharts series={series} onRendered={() => (document.body.dataset.ready = 'true')} />);
}

void main();
