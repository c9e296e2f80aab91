// /pipeline: lag per topic and partition, rates, throughput, latency against the 2 s target, error rate, dead
// letters with their latest reasons, and the open system alerts.
import { useMemo } from 'react';
import { useLiveStore } from '../state/liveStore.js';
import { sortedAlerts } from '../state/liveState.js';
import { useT } from '../state/uiStore.js';
import { PipelineCharts } from './PipelineCharts.js';

const ms = (value: number | null): string => (value === null ? '—' : `${Math.round(value)} ms`);

export function PipelineView(): React.JSX.Element {
  const t = useT();
  const samples = useLiveStore((state) => state.pipeline);
  const sample = samples[samples.length - 1];
  const byId = useLiveStore((state) => state.alerts);
  const system = useMemo(() => sortedAlerts(byId).filter((alert) => alert.kind === 'system' && alert.state !== 'resolved'), [byId]);
  if (!sample) return <p className="empty">{t('pipeline.waiting')}</p>;
  return (
    <section className="pipeline">
      <dl className="figures">
        <dt>{t('pipeline.throughput')}</dt>
        <dd data-testid="throughput">{sample.throughput_per_s.toFixed(2)}</dd>
        <dt>{t('pipeline.errorRate')}</dt>
        <dd>{(sample.error_rate * 100).toFixed(1)}%</dd>
        <dt>{t('pipeline.latency')}</dt>
        <dd className={sample.latency_ms.p95 !== null && sample.latency_ms.p95 > 2000 ? 'over' : ''}>
          p50 {ms(sample.latency_ms.p50)} · p95 {ms(sample.latency_ms.p95)} (≤ 2000 ms)
        </dd>
      </dl>
      <PipelineCharts samples={samples} />
      <h2>{t('pipeline.consumeRates')}</h2>
      <ul>
        {sample.consumer_rate.map((entry) => (
          <li key={entry.group}>
            {entry.group}: {entry.per_second.toFixed(2)}
          </li>
        ))}
      </ul>
      <h2>{t('pipeline.lag')}</h2>
      <table data-testid="lag-table">
        <thead>
          <tr>
            <th>{t('pipeline.group')}</th>
            <th>{t('pipeline.topic')}</th>
            <th>{t('pipeline.partition')}</th>
            <th>{t('pipeline.lag')}</th>
          </tr>
        </thead>
        <tbody>
          {sample.lag.map((entry) => (
            <tr key={`${entry.group}/${entry.topic}/${entry.partition}`}>
              <td>{entry.group}</td>
              <td>{entry.topic}</td>
              <td>{entry.partition}</td>
              <td>
                {entry.lag}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('pipeline.deadLetters')}</h2>
      <ul>
        {sample.dead_letters.map((entry) => (
          <li key={`${entry.stage}/${entry.code}`}>
            {entry.stage} · {entry.code}: {entry.count}
          </li>
        ))}
      </ul>
      <h3>{t('pipeline.recent')}</h3>
      <ul>
        {sample.recent_dead_letters.map((entry) => (
          <li key={`${entry.at_ms}/${entry.reason}`}>
            {new Date(entry.at_ms).toLocaleTimeString()} {entry.stage} {entry.code}: {entry.reason}
          </li>
        ))}
      </ul>
      <h2>{t('pipeline.system')}</h2>
      <ul>
        {system.map((alert) => (
          <li key={alert.id}>
            {alert.rule} {alert.subject}: {alert.summary}
          </li>
        ))}
      </ul>
    </section>
  );
}
