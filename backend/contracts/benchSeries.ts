// What `tcr bench e2e` hands the report page (renderer/report.html) to chart: per second of the run, the verdicts
// stored with their latency and each group's lag, and the fault windows. A type only: the bench writes it, the
// page reads it, both ours and built together.

export interface BenchSeriesSecond {
  /** Seconds from the start of the measured window. */
  t: number;
  /** Verdicts stored in this second. */
  stored: number;
  /** Capture → stored latency of those verdicts, ms (null: none stored). */
  p50: number | null;
  p95: number | null;
  /** Total lag per consumer group (null: the broker did not answer). */
  lag: Record<string, number | null>;
}

export interface BenchSeries {
  fromMs: number;
  durationS: number;
  latencyTargetMs: number;
  seconds: BenchSeriesSecond[];
  /** From injection to recovery (toS null: never recovered). */
  faults: { fault: string; fromS: number; toS: number | null }[];
}
