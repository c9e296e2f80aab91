// The operations endpoints of a headless instance (`tcr scheduler`, `tcr server --ops-port`): /healthz, /metrics
// for Prometheus (and /metrics/samples, the same as JSON, for a gateway's system checks) and /api-key-pool/health
// (the original troubleshooting guide's). Read-only and bound to loopback by default, so it carries no token;
// inside `tcr server` the gateway serves the same views behind its token.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { readSamples } from '../alerts/metricSamples.js';
import type { Logger } from '../core/logger.js';

export interface OpsViews {
  registry: Registry;
  /** 200 while the instance works, 503 with the reason otherwise. */
  health(): { ok: boolean; [detail: string]: unknown };
  /** null: no key pool in this process (the rules assessor runs alone). */
  keyPoolHealth(): unknown;
}

export interface OpsServer {
  readonly url: string;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

export async function startOpsServer(host: string, port: number, views: OpsViews, logger: Logger): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://ops').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'only GET' });
    (async () => {
      if (path === '/healthz') {
        const health = views.health();
        return sendJson(res, health.ok ? 200 : 503, health);
      }
      if (path === '/metrics') {
        const text = await views.registry.metrics();
        res.writeHead(200, { 'content-type': views.registry.contentType });
        return res.end(text);
      }
      if (path === '/metrics/samples') {
        // The same series as flat samples: what a gateway's system checks read from the other processes of a site.
        return sendJson(res, 200, { samples: await readSamples(views.registry) });
      }
      if (path === '/api-key-pool/health') {
        const health = views.keyPoolHealth();
        // As the gateway answers: "no keys here" is this instance's pool health, not a missing page.
        return sendJson(res, 200, health ?? { configured: false, reason: 'no key pool: this instance assesses with the rules assessor' });
      }
      sendJson(res, 404, { error: `no route ${path}`, routes: ['/healthz', '/metrics', '/metrics/samples', '/api-key-pool/health'] });
    })().catch((error: unknown) => {
      logger.error({ err: error, path }, 'ops request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
