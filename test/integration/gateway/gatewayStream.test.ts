// The WebSocket stream on a real port: the token, what it carries, resume after a reconnect, a client that never
// reads, and hundreds of clients at once.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createBus } from '../../../backend/bus/createBus.js';
import { appConfigSchema } from '../../../backend/config/index.js';
import { MESSAGE_SCHEMAS, detectionResultMessage, encodeMessage, type StreamMessage } from '../../../backend/contracts/index.js';
import { captureLogger, waitFor } from '../../support/busFixtures.js';
import { detectionResult } from '../../support/messageFixtures.js';
import { useTempDir } from '../../support/tempDir.js';
import { FOLD, json, listen, startHarness, verdictAt, type Harness } from './gatewayHarness.js';

const T0 = Date.now() - 60_000;

describe('gateway > WebSocket stream', () => {
  const temp = useTempDir();
  let harness: Harness | null = null;
  afterEach(async () => {
    await harness?.close();
    harness = null;
  });

  it('refuses a client without the token, and never echoes the offered token back', async () => {
    harness = await startHarness(temp.path('data'));
    await expect(listen(harness, '', null)).rejects.toThrow('refused with 401');
    await expect(listen(harness, '', `${harness.token}x`)).rejects.toThrow('refused with 401');
    const client = await listen(harness);
    expect(client.socket.protocol).toBe('tcr.v1');
    client.socket.close();
  });

  it('streams new results, alerts as they are raised, folded and acknowledged, and the snapshots', async () => {
    harness = await startHarness(temp.path('data'));
    const client = await listen(harness);
    await waitFor(() => client.of('hello').length === 1, 5000, 'hello');
    const verdict = verdictAt(T0);
    harness.writer.atomically(() => {
      harness!.writer.insert(verdict, T0);
      harness!.writer.alerts.recordRisk(verdict, 'high-risk', T0, FOLD);
    });
    await waitFor(() => client.of('alert').length === 1 && client.of('result').length === 1, 5000, 'the alert and the result');
    expect(client.of('result')[0]!.result).toEqual(verdict);
    const id = client.of('alert')[0]!.alert.id;
    harness.writer.alerts.recordRisk(verdictAt(T0 + 1000), 'high-risk', T0 + 1000, FOLD);
    // Each change carries the alert as it is when the stream reads it: let the fold go out before acting on it.
    await waitFor(() => client.of('alert').length === 2, 5000, 'the fold');
    expect((await harness.post(`/api/alerts/${id}/acknowledge`, { operator: '王工' })).status).toBe(200);
    await waitFor(() => client.of('alert').length === 3, 5000, 'the acknowledgement');
    expect(client.of('alert').map((message) => [message.event.action, message.alert.count, message.alert.state])).toEqual([
      ['raised', 1, 'new'],
      ['folded', 2, 'new'],
      ['acknowledge', 2, 'acknowledged'],
    ]);
    // The first lag reading comes a poll interval after start.
    const resultsLag = (message: Extract<StreamMessage, { type: 'pipeline' }>) => message.sample.lag.some((entry) => entry.group === 'results' && entry.topic === 'risk-assessment-results');
    await waitFor(() => client.of('cameras').length > 0 && client.of('pipeline').some(resultsLag), 15_000, 'the snapshots');
    expect(client.of('cameras')[0]!.cameras).toMatchObject([{ id: 'cam-1', name: '人民路', state: 'unknown' }]);
    client.socket.close();
  });

  it('gives a reconnecting client what it missed after the last change it saw, and a resync when that is too much', async () => {
    harness = await startHarness(temp.path('data'));
    const first = await listen(harness);
    const { alert } = harness.writer.alerts.recordRisk(verdictAt(T0), 'high-risk', T0, FOLD);
    await waitFor(() => first.of('alert').length === 1, 5000, 'the first alert');
    const lastSeen = first.of('alert')[0]!.event.seq;
    first.socket.terminate();
    // While it is away: a fold, an acknowledgement, another alert.
    harness.writer.alerts.recordRisk(verdictAt(T0 + 1000), 'high-risk', T0 + 1000, FOLD);
    harness.writer.alerts.act(alert.id, 'acknowledge', { operator: '王工', comment: null }, T0 + 2000);
    harness.writer.alerts.recordRisk(verdictAt(T0 + 3000, 'cam-2'), 'high-risk', T0 + 3000, FOLD);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const back = await listen(harness, `?since=${lastSeen}`);
    await waitFor(() => back.of('alert').length === 3, 5000, 'the missed changes');
    expect(back.of('alert').map((message) => message.event.action)).toEqual(['folded', 'acknowledge', 'raised']);
    expect(back.of('alert').map((message) => message.event.seq)).toEqual([lastSeen + 1, lastSeen + 2, lastSeen + 3]);
    expect(back.of('hello')[0]!.last_alert_seq).toBe(lastSeen + 3);
    back.socket.close();
    for (let i = 0; i < 5001; i++) harness.writer.alerts.act(alert.id, 'comment', { operator: 'x', comment: null }, T0);
    const far = await listen(harness, `?since=${lastSeen}`);
    await waitFor(() => far.of('resync').length === 1, 5000, 'the resync');
    expect(far.of('alert')).toHaveLength(0);
    far.socket.close();
  });

  it('does not buffer without bound for a client that never reads, cuts it off, and other clients go on receiving', async () => {
    harness = await startHarness(temp.path('data'));
    const stalled = await listen(harness);
    // The client's socket stops reading: the server's writes back up, first in the kernel, then in ws.
    (stalled.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const healthy = await listen(harness);
    const gateway = harness.app;
    const big = 'x'.repeat(3000);
    for (let i = 0; i < 6000; i++) {
      harness.writer.insert({ ...verdictAt(T0 + i), description: big }, T0 + i);
      if (i % 500 === 499) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await waitFor(() => healthy.of('result').length === 6000, 60_000, 'the healthy client to get every result');
    const buffered = gateway.gateway!.stream.buffered();
    // 6000 results of ~3.5 kB = 21 MB went out; the stalled client holds at most the high-water mark plus its bounded queue.
    expect(buffered).toBeLessThan(8 * 1024 * 1024);
    // Told to resync and still reading nothing, it was cut off; back, it would catch up with ?since=.
    expect(harness.app.gateway!.stream.clients()).toBe(1);
    (stalled.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    await waitFor(() => stalled.socket.readyState === WebSocket.CLOSED, 20_000, 'the stalled client to see it was cut off');
    expect(stalled.of('result').length).toBeLessThan(6000);
    healthy.socket.close();
  }, 90_000);

  it('shows a camera decoded by another process: its thumbnails with detections and groups, and its state on the wall', async () => {
    const dataDir = temp.path('data');
    harness = await startHarness(dataDir, { gateway: { port: 0 } });
    const client = await listen(harness);
    const other = createBus(appConfigSchema.parse({ data_dir: dataDir }), captureLogger().logger);
    const frame = { ...detectionResult(), camera_id: 'cam-1', captured_at_ms: Date.now() - 100, thumbnail_jpeg_b64: '/9j/4AAQSkZJRgABAQ==' };
    const encoded = encodeMessage(detectionResultMessage, frame);
    if (!encoded.ok) throw new Error(encoded.error.message);
    // What the wall cannot read it passes over: the expander owns the topic's one dead letter per record.
    await other.producer().send('detection-results', [{ key: 'cam-1', value: '{not json' }, { key: 'cam-1', value: JSON.stringify({ ...frame, frame_width: -1 }) }, { key: 'cam-1', value: encoded.value }]);
    await waitFor(() => client.of('thumbnail').length === 1, 10_000, 'the thumbnail');
    expect(client.of('thumbnail')[0]).toEqual({
      type: 'thumbnail',
      camera_id: 'cam-1',
      captured_at_ms: frame.captured_at_ms,
      frame_width: 1280,
      frame_height: 720,
      jpeg_b64: '/9j/4AAQSkZJRgABAQ==',
      detections: frame.detections,
      groups: frame.groups.map((group) => ({ group_id: group.group_id, region: group.region })),
    });
    const wall = await json(harness.get('/api/cameras'));
    expect(wall.cameras).toEqual([{ id: 'cam-1', name: '人民路', state: 'live', reason: null, last_frame_ms: frame.captured_at_ms, detections: 2, groups: 1, frames_read: null, frames_skipped: null, decode: null, decode_note: null }]);
    const metrics = await (await harness.get('/metrics')).text();
    expect(metrics).toMatch(/^records_skipped_total\{stage="gateway",code="invalid_json"\} 1$/m);
    expect(metrics).toMatch(/^records_skipped_total\{stage="gateway",code="invalid_message"\} 1$/m);
    expect(metrics).not.toMatch(/^dead_letters_total\{stage="gateway"/m);
    const letters: string[] = [];
    const dlq = await other.subscribe({ group: 'dlq-reader', topic: 'dlq', schema: MESSAGE_SCHEMAS.DeadLetterMessage, stage: 'test', handle: async (letter) => void letters.push(letter.stage) });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await dlq.stop();
    expect(letters).toEqual([]);
    await other.close();
    client.socket.close();
  });

  it('takes hundreds of clients connecting at once', async () => {
    harness = await startHarness(temp.path('data'));
    const clients = await Promise.all(Array.from({ length: 300 }, () => listen(harness!)));
    await waitFor(() => clients.every((client) => client.of('hello').length === 1), 20_000, 'every hello');
    expect(harness.app.gateway!.stream.clients()).toBe(300);
    for (const client of clients) client.socket.close();
    await waitFor(() => harness!.app.gateway!.stream.clients() === 0, 10_000, 'every client gone');
  }, 60_000);
});
