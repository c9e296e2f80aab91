// The acceptance run's charts (recharts, as the pipeline view's): latency, throughput and lag over the run, each
// fault's window shaded and named, so an operator sees what each fault did and when the site recovered.
import { useEffect } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ReferenceLine, XAxis, YAxis } from 'recharts';
import type { BenchSeries } from '../../../backend/contracts/index.js';

const WIDTH = 960;
const HEIGHT = 320;
const COLOURS = ['#1c7ed6', '#f08c00', '#2f9e44', '#e03131', '#9c36b5', '#0c8599', '#5c940d'];
const AXIS = { stroke: '#495057', fontSize: 12 };

function faultAreas(series: BenchSeries): React.JSX.Element[] {
  const end = series.seconds.length;
  return series.faults.map((fault, index) => (
    <ReferenceArea
      key={`${fault.fault}-${index}`}
      x1={fault.fromS}
      x2={Math.max(fault.fromS + 1, fault.toS ?? end)}
      fill={COLOURS[index % COLOURS.length]}
      fillOpacity={0.12}
      label={{ value: fault.fault, position: 'insideTop', fontSize: 11, fill: COLOURS[index % COLOURS.length], angle: -90, dx: 6, dy: 40 }}
    />
  ));
}

function TimeAxis(): React.JSX.Element {
  return <XAxis dataKey="t" type="number" domain={[0, 'dataMax']} unit=" s" {...AXIS} />;
}

export function BenchCharts({ series, onRendered }: { series: BenchSeries; onRendered(): void }): React.JSX.Element {
  useEffect(onRendered, [onRendered]);
  const groups = [...new Set(series.seconds.flatMap((second) => Object.keys(second.lag)))];
  const lag = series.seconds.map((second) => ({ t: second.t, ...second.lag }));
  return (
    <main style={{ fontFamily: 'sans-serif', background: '#fff', padding: 8 }}>
      <figure data-testid="chart-latency">
        <figcaption>Detection → stored verdict latency per second (p50, p95), ms</figcaption>
        <LineChart width={WIDTH} height={HEIGHT} data={series.seconds}>
          <CartesianGrid stroke="#dee2e6" />
          {TimeAxis()}
          <YAxis unit=" ms" {...AXIS} />
          <Legend />
          {faultAreas(series)}
          <ReferenceLine y={series.latencyTargetMs} ifOverflow="extendDomain" stroke="#e03131" strokeDasharray="6 4" label={{ value: `target ${series.latencyTargetMs} ms`, fill: '#e03131', position: 'insideTopRight' }} />
          <Line dataKey="p50" name="p50" stroke="#2f9e44" dot={false} connectNulls isAnimationActive={false} />
          <Line dataKey="p95" name="p95" stroke="#f08c00" dot={false} connectNulls isAnimationActive={false} />
        </LineChart>
      </figure>
      <figure data-testid="chart-throughput">
        <figcaption>Groups assessed (verdicts stored) per second</figcaption>
        <LineChart width={WIDTH} height={HEIGHT} data={series.seconds}>
          <CartesianGrid stroke="#dee2e6" />
          {TimeAxis()}
          <YAxis allowDecimals={false} {...AXIS} />
          <Legend />
          {faultAreas(series)}
          <Line dataKey="stored" name="verdicts stored / s" stroke="#1c7ed6" dot={false} isAnimationActive={false} />
        </LineChart>
      </figure>
      <figure data-testid="chart-lag">
        <figcaption>Consumer lag per group (messages; gaps: the broker did not answer)</figcaption>
        <LineChart width={WIDTH} height={HEIGHT} data={lag}>
          <CartesianGrid stroke="#dee2e6" />
          {TimeAxis()}
          <YAxis allowDecimals={false} {...AXIS} />
          <Legend />
          {faultAreas(series)}
          {groups.map((group, index) => (
            <Line key={group} dataKey={group} name={group.replace(/^e2e-[a-z0-9]+-/, '')} stroke={COLOURS[index % COLOURS.length]} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </figure>
    </main>
  );
}
