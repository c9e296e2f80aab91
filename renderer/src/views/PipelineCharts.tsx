// The pipeline view's charts (recharts): lag over time per group and topic, lag per partition now, latency p50/p95
// against the 2 s target, and throughput with the fallback share. What each plots is shaped in chartData.ts.
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PipelineSample } from '../../../backend/contracts/index.js';
import { clockLabel, lagBars, lagSeries, LATENCY_TARGET_MS, latencySeries, rateSeries } from '../state/chartData.js';
import { useT } from '../state/uiStore.js';

const LINE_COLOURS = ['#4dabf7', '#ffd43b', '#69db7c', '#ff8787', '#da77f2', '#ffa94d'];
const AXIS = { stroke: '#8b98a5', fontSize: 13 };
const TOOLTIP = { contentStyle: { background: '#111820', border: '1px solid #233040' }, labelFormatter: (value: unknown) => clockLabel(Number(value)) };
const HEIGHT = 220;

function TimeAxis(): React.JSX.Element {
  return <XAxis dataKey="at_ms" type="number" domain={['dataMin', 'dataMax']} scale="time" tickFormatter={clockLabel} {...AXIS} />;
}

export function PipelineCharts({ samples }: { samples: readonly PipelineSample[] }): React.JSX.Element {
  const t = useT();
  const lag = useMemo(() => lagSeries(samples), [samples]);
  const latency = useMemo(() => latencySeries(samples), [samples]);
  const rates = useMemo(() => rateSeries(samples), [samples]);
  const bars = useMemo(() => lagBars(samples[samples.length - 1]), [samples]);
  return (
    <div className="charts">
      <figure data-testid="chart-lag-series">
        <figcaption>{t('pipeline.lagOverTime')}</figcaption>
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <LineChart data={lag.points}>
            <CartesianGrid stroke="#233040" />
            {TimeAxis()}
            <YAxis allowDecimals={false} {...AXIS} />
            <Tooltip {...TOOLTIP} />
            <Legend />
            {lag.names.map((name, index) => (
              <Line key={name} dataKey={name} stroke={LINE_COLOURS[index % LINE_COLOURS.length]} dot={false} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure data-testid="chart-lag-bars">
        <figcaption>{t('pipeline.lagNow')}</figcaption>
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <BarChart data={bars}>
            <CartesianGrid stroke="#233040" />
            <XAxis dataKey="label" {...AXIS} />
            <YAxis allowDecimals={false} {...AXIS} />
            <Tooltip contentStyle={TOOLTIP.contentStyle} />
            <Bar dataKey="lag" fill="#4dabf7" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure data-testid="chart-latency">
        <figcaption>{t('pipeline.latencyOverTime')}</figcaption>
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <LineChart data={latency}>
            <CartesianGrid stroke="#233040" />
            {TimeAxis()}
            <YAxis unit=" ms" {...AXIS} />
            <Tooltip {...TOOLTIP} />
            <Legend />
            <ReferenceLine y={LATENCY_TARGET_MS} ifOverflow="extendDomain" stroke="#ff8787" strokeDasharray="6 4" label={{ value: t('pipeline.target'), fill: '#ff8787', position: 'insideTopRight' }} />
            <Line dataKey="p50" name="p50" stroke="#69db7c" dot={false} connectNulls isAnimationActive={false} />
            <Line dataKey="p95" name="p95" stroke="#ffd43b" dot={false} connectNulls isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure data-testid="chart-rates">
        <figcaption>{t('pipeline.ratesOverTime')}</figcaption>
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <LineChart data={rates}>
            <CartesianGrid stroke="#233040" />
            {TimeAxis()}
            <YAxis yAxisId="rate" {...AXIS} />
            <YAxis yAxisId="share" orientation="right" unit="%" domain={[0, 100]} {...AXIS} />
            <Tooltip {...TOOLTIP} />
            <Legend />
            <Line yAxisId="rate" dataKey="throughput" name={t('pipeline.throughput')} stroke="#4dabf7" dot={false} isAnimationActive={false} />
            <Line yAxisId="share" dataKey="error_pct" name={t('pipeline.errorRate')} stroke="#ff8787" dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
