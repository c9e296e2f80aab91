// A results + gateway process in this test process (embedded bus, real SQLite, a real port), and a second
// connection to its store that plays the results role of another process writing verdicts and alerts.
import WebSocket from 'ws';
import { startApp, type RunningApp } from '../../../backend/app.js';
import { appConfigSchema } from '../../../backend/config/index.js';
import { createTaskId, type RiskAssessmentResultMessage, type StreamMessage } from '../../../backend/contracts/index.js';
import { WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../../backend/gateway/tokenCheck.js';
import { openResultStore, type ResultStore } from '../../../backend/results/resultStore.js';
import { captureLogger } from '../../support/busFixtures.js';
import { riskResult } from '../../support/messageFixtures.js';

export interface Listener {
  socket: WebSocket;
  messages: StreamMessage[];
  of<T extends StreamMessage['type']>(type: T): Extract<StreamMessage, { type: T }>[];
}

/** A stream client offering the token as browsers do; rejects with the status of a refused upgrade. */
export function listen(harness: Harness, query = '', token: string | null = harness.token): Promise<Listener> {
  const socket = new WebSocket(`${harness.url.replace('http', 'ws')}/ws${query}`, token === null ? [WS_PROTOCOL] : [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${token}`]);
  const messages: StreamMessage[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as StreamMessage));
  const listener = { socket, messages, of: <T extends StreamMessage['type']>(type: T) => messages.filter((message): message is Extract<StreamMessage, { type: T }> => message.type === type) };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(listener));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

export interface Harness {
  app: RunningApp;
  url: string;
  token: string;
  writer: ResultStore;
  logLines: () => string[];
  get(path: string, token?: string | null, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body: unknown, token?: string | null): Promise<Response>;
  close(): Promise<void>;
}

/** A JSON answer, typed loosely: the tests check its shape with expect. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(response: Response | Promise<Response>): Promise<any> {
  return (await response).json();
}

export const FOLD = { windowMs: 300_000, minIou: 0.3 };

export function verdictAt(at: number, camera = 'cam-1', region: [number, number, number, number] = [100, 100, 300, 300]): RiskAssessmentResultMessage {
  const frame = `${at}-1`;
  return { ...riskResult(), camera_id: camera, frame_id: frame, task_id: createTaskId(camera, frame, 'g1'), region, captured_at_ms: at, assessed_at_ms: at + 500 };
}

export async function startHarness(dataDir: string, extra: Record<string, unknown> = {}): Promise<Harness> {
  const config = appConfigSchema.parse({ data_dir: dataDir, gateway: { port: 0 }, cameras: [{ id: 'cam-1', name: '人民路', url: '/nonexistent', enabled: false }], ...extra });
  const { logger, lines } = captureLogger();
  const app = await startApp(config, ['results', 'gateway'], logger, { env: {} });
  const { url, token } = app.gateway!;
  const writer = openResultStore(`${dataDir}/results.sqlite`);
  const auth = (given: string | null | undefined): Record<string, string> => (given === null ? {} : { authorization: `Bearer ${given ?? token}` });
  return {
    app,
    url,
    token,
    writer,
    logLines: lines,
    get: (path, given, headers = {}) => fetch(`${url}${path}`, { headers: { ...auth(given), ...headers } }),
    post: (path, body, given) => fetch(`${url}${path}`, { method: 'POST', headers: { ...auth(given), 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    async close() {
      writer.close();
      await app.stop();
    },
  };
}
