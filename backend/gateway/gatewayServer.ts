// The gateway's HTTP server (node:http): the token on everything but /healthz, closed CORS unless origins are
// listed, size limits, and the WebSocket upgrade handed to the stream once the token checks out.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { HttpError, sendJson } from '../core/httpResponses.js';
import { createRouter, routeContext, type Route } from './routes.js';
import { createTokenCheck } from './tokenCheck.js';

export interface GatewayServerSettings {
  host: string;
  port: number;
  token: string;
  /** Origins (scheme://host:port) a browser may call from; empty: none but the gateway's own. */
  corsOrigins: readonly string[];
  maxBodyBytes: number;
}

export interface StreamEndpoint {
  path: string;
  /** Called with an authenticated upgrade request only. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

export interface GatewayServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Slow-loris and idle clients: a request's headers and body must arrive in this time. */
const REQUEST_TIMEOUT_MS = 30_000;

/** The request's URL; null for a request target no URL parser accepts (another program's malformed request). */
function urlOf(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://gateway');
  } catch {
    return null;
  }
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}

export async function startGatewayServer(settings: GatewayServerSettings, routes: readonly Route[], stream: StreamEndpoint | null, logger: Logger): Promise<GatewayServer> {
  const router = createRouter(routes);
  const authorized = createTokenCheck(settings.token);
  const allowedOrigins = new Set(settings.corsOrigins);

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = req.headers.origin;
    if (origin !== undefined && allowedOrigins.has(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') {
      if (origin === undefined || !allowedOrigins.has(origin)) throw new HttpError(403, 'cross-origin requests are not allowed (gateway.cors_origins)');
      res.writeHead(204, { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '600' });
      return void res.end();
    }
    const url = urlOf(req);
    if (!url) throw new HttpError(400, 'not a request URL');
    const { route, params } = router.match(req.method ?? 'GET', url.pathname);
    if (route.auth !== false && !authorized(req)) {
      res.setHeader('www-authenticate', 'Bearer');
      throw new HttpError(401, 'missing or wrong token (Authorization: Bearer <token>; `tcr token` prints it)');
    }
    const value = await route.handle(routeContext(req, res, url, params, settings.maxBodyBytes));
    if (value !== undefined) sendJson(res, 200, value);
  };

  const server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS / 2 }, (req, res) => {
    answer(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        // A refused request's body is not read: close the connection rather than parse what follows it.
        if (error.status === 413) res.setHeader('connection', 'close');
        if (!res.headersSent) sendJson(res, error.status, { error: error.message });
        return;
      }
      logger.error({ err: error, method: req.method, path: urlOf(req)?.pathname }, 'gateway request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = urlOf(req)?.pathname;
    if (!stream || path !== stream.path) return refuseUpgrade(socket, 404, 'Not Found');
    if (!authorized(req)) return refuseUpgrade(socket, 401, 'Unauthorized');
    stream.upgrade(req, socket, head);
  });
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new AppError('gateway_port_in_use', `gateway: ${settings.host}:${settings.port} is in use by another program (another tcr server?); stop it or set gateway.port`, { cause: error }));
      else if (error.code === 'EACCES') reject(new AppError('gateway_port_refused', `gateway: not allowed to listen on ${settings.host}:${settings.port} (ports below 1024 need privileges); set gateway.port`, { cause: error }));
      else if (error.code === 'EADDRNOTAVAIL') reject(new AppError('gateway_address_unavailable', `gateway: ${settings.host} is not an address of this machine; set gateway.host`, { cause: error }));
      else reject(error);
    });
    server.listen(settings.port, settings.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // Upgraded sockets are no longer the HTTP server's to close, yet it waits for them.
      await stream?.close();
      await closed;
    },
  };
}
