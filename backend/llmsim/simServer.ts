// `tcr llm-sim`: an OpenAI-compatible server that enforces per-key and per-account limits like a provider
// (429 + Retry-After, 401 for revoked keys, injected 5xx and malformed output, every key throttled for a while),
// counts what it answered and keeps what it received (GET /received) for tests to assert on.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Logger } from '../core/logger.js';
import { chatCompletion, INVALID_KEY, RATE_LIMITED, SERVER_ERROR, errorBody } from './providerResponses.js';
import { ReceivedRequests, type ReceivedRequest } from './receivedRequests.js';
import { requestText, riskAnswer } from './riskAnswer.js';
import type { SimKey, SimKeyCounts, SimKeySet } from './simKeys.js';

export interface LlmSimOptions {
  host: string;
  port: number;
  keys: SimKeySet;
  latencyMs: number;
  jitterMs: number;
  errorRate: number;
  malformedRate: number;
  seed: number;
  logger?: Logger;
}

export interface LlmSimStats {
  uptime_ms: number;
  /** `throttled`: 429s of an injected throttle (POST /admin/throttle), also counted in http_429. */
  totals: { requests: number; ok: number; http_400: number; http_401: number; http_429: number; http_5xx: number; malformed: number; throttled: number };
  keys: Record<string, SimKeyCounts & { qps_limit: number; rpm_limit: number; revoked: boolean }>;
  accounts: Record<string, { rpm_limit: number | null; max_in_60s: number; http_429: number }>;
  /** The first requests refused for a key's or account's own limit (not an injected throttle): when (epoch ms) and on which key. */
  rate_limited: { key: string; at_ms: number }[];
  /**
   * How late this process ran its callbacks (ms, since start). Arrivals are counted when the simulator sees them, so
   * a stall of this much can bunch requests that arrived apart: a 429 beside a long stall is the simulator's own.
   */
  event_loop_delay_ms: { p99: number; max: number };
}

export interface LlmSim {
  readonly url: string;
  stats(): LlmSimStats;
  revoke(name: string): boolean;
  restore(name: string): boolean;
  /** Answers every request with 429 for `ms`, as a provider does under an account-wide throttle. */
  throttle(ms: number): void;
  received(afterId?: number): ReceivedRequest[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;
/** Enough rate-limited arrivals to see when they came (a healthy run has none). */
const KEEP_RATE_LIMITED = 100;

const chatRequest = z.object({
  model: z.string().min(1),
  messages: z.array(z.object({ role: z.string(), content: z.unknown() })).min(1),
  max_tokens: z.number().optional(),
});

function parseChatRequest(raw: string): z.infer<typeof chatRequest> | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null; // answered as 400 by the caller, like a provider does
  }
  const parsed = chatRequest.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** mulberry32: a small seeded generator, so injected failures are reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startLlmSim(options: LlmSimOptions): Promise<LlmSim> {
  const random = seededRandom(options.seed);
  const started = performance.now();
  const totals = { requests: 0, ok: 0, http_400: 0, http_401: 0, http_429: 0, http_5xx: 0, malformed: 0, throttled: 0 };
  let nextRequestId = 1;
  let throttledUntil = 0;
  const received = new ReceivedRequests();
  const rateLimited: { key: string; at_ms: number }[] = [];

  const authenticate = (req: IncomingMessage): SimKey | null => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const key = match ? options.keys.byApiKey.get(match[1]!.trim()) : undefined;
    return key && !key.revoked ? key : null;
  };

  /** Milliseconds until this key (and its account) may be used again; 0 means accept now. */
  const rateLimitWait = (key: SimKey, now: number): number => {
    const account = key.account ? options.keys.accounts.get(key.account) : undefined;
    return Math.max(key.perSecond.waitMs(now), key.perMinute.waitMs(now), account?.perMinute?.waitMs(now) ?? 0);
  };

  /** `arrivedAt`: when the request reached the server, the moment a provider counts it against a window. */
  const handleChat = async (req: IncomingMessage, res: ServerResponse, requestId: string, arrivedAt: number): Promise<void> => {
    const raw = await readBody(req);
    const body = raw === null ? null : parseChatRequest(raw);
    if (!body) {
      totals.http_400 += 1;
      send(res, raw === null ? 413 : 400, errorBody('invalid_request_error', 'Request body must be JSON with model and messages.', requestId));
      return;
    }
    totals.requests += 1;
    const key = authenticate(req);
    received.record(body, key?.name ?? null);
    if (!key) {
      totals.http_401 += 1;
      const known = options.keys.byApiKey.get((req.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim());
      if (known) known.counts.http_401 += 1;
      send(res, 401, INVALID_KEY(requestId));
      return;
    }
    key.counts.requests += 1;
    const now = arrivedAt;
    if (now < throttledUntil) {
      totals.http_429 += 1;
      totals.throttled += 1;
      key.counts.http_429 += 1;
      send(res, 429, RATE_LIMITED(requestId), { 'retry-after': String(Math.max(1, Math.ceil((throttledUntil - now) / 1000))) });
      return;
    }
    const wait = rateLimitWait(key, now);
    if (wait > 0) {
      totals.http_429 += 1;
      key.counts.http_429 += 1;
      if (rateLimited.length < KEEP_RATE_LIMITED) rateLimited.push({ key: key.name, at_ms: Math.round(performance.timeOrigin + now) });
      const account = key.account ? options.keys.accounts.get(key.account) : undefined;
      if (account && (account.perMinute?.waitMs(now) ?? 0) > 0) account.http_429 += 1;
      send(res, 429, RATE_LIMITED(requestId), { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) });
      return;
    }
    key.perSecond.accept(now);
    key.perMinute.accept(now);
    const account = key.account ? options.keys.accounts.get(key.account) : undefined;
    account?.perMinute?.accept(now);

    const delay = Math.max(0, options.latencyMs + (random() * 2 - 1) * options.jitterMs);
    const failure = random();
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (failure < options.errorRate) {
      totals.http_5xx += 1;
      key.counts.http_5xx += 1;
      send(res, random() < 0.5 ? 500 : 503, SERVER_ERROR(requestId));
      return;
    }
    const text = requestText(body.messages);
    const promptTokens = Math.ceil(text.length / 2) + 20;
    const answer = JSON.stringify(riskAnswer(text));
    if (failure < options.errorRate + options.malformedRate) {
      totals.malformed += 1;
      key.counts.malformed += 1;
      send(res, 200, chatCompletion(requestId, body.model, answer.slice(0, Math.floor(answer.length / 2)), promptTokens, Date.now()));
      return;
    }
    totals.ok += 1;
    key.counts.ok += 1;
    send(res, 200, chatCompletion(requestId, body.model, answer, promptTokens, Date.now()));
  };

  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const stats = (): LlmSimStats => ({
    uptime_ms: Math.round(performance.now() - started),
    totals: { ...totals },
    keys: Object.fromEntries(
      [...options.keys.byName.values()].map((key) => [
        key.name,
        { ...key.counts, qps_limit: key.qps, rpm_limit: key.rpm, revoked: key.revoked, max_in_1s: key.perSecond.maxSeen, max_in_60s: key.perMinute.maxSeen },
      ]),
    ),
    accounts: Object.fromEntries(
      [...options.keys.accounts.values()].map((account) => [account.name, { rpm_limit: account.rpm, max_in_60s: account.perMinute?.maxSeen ?? 0, http_429: account.http_429 }]),
    ),
    rate_limited: [...rateLimited],
    event_loop_delay_ms: { p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) },
  });

  const setRevoked = (name: string, revoked: boolean): boolean => {
    const key = options.keys.byName.get(name);
    if (!key) return false;
    key.revoked = revoked;
    return true;
  };

  const server: Server = createServer((req, res) => {
    const arrivedAt = performance.now();
    const requestId = `sim-${nextRequestId++}`;
    const url = new URL(req.url ?? '/', 'http://sim');
    const admin = /^\/admin\/keys\/([^/]+)\/(revoke|restore)$/.exec(url.pathname);
    const route = `${req.method} ${url.pathname}`;
    const handled = (async () => {
      if (route === 'POST /v1/chat/completions') return handleChat(req, res, requestId, arrivedAt);
      if (route === 'GET /v1/models') {
        if (!authenticate(req)) return send(res, 401, INVALID_KEY(requestId));
        return send(res, 200, { object: 'list', data: ['qwen-vl-plus', 'qwen-vl-max'].map((id) => ({ id, object: 'model', created: 0, owned_by: 'tcr-llm-sim' })) });
      }
      if (route === 'GET /stats') return send(res, 200, stats());
      if (route === 'GET /received') return send(res, 200, { requests: received.since(Number(url.searchParams.get('after') ?? 0) || 0) });
      if (route === 'POST /admin/throttle') {
        const ms = Number(url.searchParams.get('ms'));
        if (!(Number.isFinite(ms) && ms >= 0)) return send(res, 400, { ok: false, error: 'ms must be a number >= 0' });
        throttledUntil = performance.now() + ms;
        return send(res, 200, { ok: true });
      }
      if (admin && req.method === 'POST') {
        const found = setRevoked(decodeURIComponent(admin[1]!), admin[2] === 'revoke');
        return send(res, found ? 200 : 404, { ok: found });
      }
      send(res, 404, errorBody('not_found', `no route ${route}`, requestId));
    })();
    handled.catch((error: unknown) => {
      options.logger?.error({ err: error }, 'llm-sim request failed');
      if (!res.headersSent) send(res, 500, SERVER_ERROR(requestId));
    });
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    stats,
    revoke: (name) => setRevoked(name, true),
    restore: (name) => setRevoked(name, false),
    throttle: (ms) => (throttledUntil = performance.now() + ms),
    received: (afterId = 0) => received.since(afterId),
    close: () =>
      new Promise<void>((resolve, reject) => {
        loopDelay.disable();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
