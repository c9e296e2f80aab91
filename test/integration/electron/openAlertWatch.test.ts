// The tray's count from a real gateway: open alerts by level, null for a wrong token or a gateway that is gone,
// and polling that goes on after a failure.
import { afterEach, describe, expect, it } from 'vitest';
import { fetchOpenAlertCounts, watchOpenAlerts } from '../../../electron/openAlertWatch.js';
import type { OpenAlertCounts } from '../../../backend/contracts/index.js';
import { waitFor } from '../../support/busFixtures.js';
import { useTempDir } from '../../support/tempDir.js';
import { FOLD, startHarness, verdictAt, type Harness } from '../gateway/gatewayHarness.js';

const T0 = Date.parse('2026-12-01T08:00:00Z');

describe('electron > open-alert watch', () => {
  const temp = useTempDir();
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('reads the open count with the token, null without the right one or once the gateway is gone', async () => {
    harness = await startHarness(temp.path('data'));
    harness.writer.alerts.recordRisk(verdictAt(T0), 'high-risk', T0, FOLD);
    harness.writer.alerts.recordRisk({ ...verdictAt(T0, 'cam-2'), risk_level: 'critical' }, 'high-risk', T0, FOLD);
    expect(await fetchOpenAlertCounts(harness.url, harness.token)).toEqual({ open: 2, by_level: { none: 0, low: 0, medium: 0, high: 1, critical: 1 } });
    expect(await fetchOpenAlertCounts(harness.url, `${harness.token}x`)).toBeNull();

    const seen: (OpenAlertCounts | null)[] = [];
    const stop = watchOpenAlerts({ gatewayUrl: harness.url, token: harness.token, everyMs: 50, onCounts: (counts) => seen.push(counts) });
    try {
      await waitFor(() => seen.length >= 1, 5000, 'a first poll');
      const url = harness.url;
      await harness.close();
      harness = undefined;
      await waitFor(() => seen.at(-1) === null, 5000, 'a poll of the stopped gateway');
      const failed = seen.length;
      await waitFor(() => seen.length >= failed + 2, 5000, 'polling to go on after a failure');
      expect(await fetchOpenAlertCounts(url, 'x'.repeat(43))).toBeNull();
    } finally {
      stop();
    }
    expect(seen[0]).toMatchObject({ open: 2 });
  });
});
