// A route table: method, path pattern with :params, and whether the token is needed. Small on purpose; the
// gateway has a dozen routes and no middleware.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readJsonBody } from '../core/httpResponses.js';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body, size-limited; `{}` when there is none. */
  body(): Promise<unknown>;
}

export interface Route {
  method: 'GET' | 'POST';
  /** e.g. `/api/alerts/:id/acknowledge`; a param matches one path segment. */
  path: string;
  /** false only for /healthz: a load balancer's probe carries no token. */
  auth?: boolean;
  /** A value is sent as JSON with 200; undefined means the route wrote its own answer. */
  handle(context: RouteContext): unknown;
}

interface CompiledRoute {
  route: Route;
  segments: string[];
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export function createRouter(routes: readonly Route[]) {
  const compiled: CompiledRoute[] = routes.map((route) => ({ route, segments: route.path.split('/').slice(1) }));
  return {
    /** The route for a path: 404 when no route has it, 405 when one has it with another method. */
    match(method: string, pathname: string): Match {
      const parts = pathname.split('/').slice(1);
      let pathKnown = false;
      for (const { route, segments } of compiled) {
        if (segments.length !== parts.length) continue;
        const params: Record<string, string> = {};
        const fits = segments.every((segment, index) => {
          if (!segment.startsWith(':')) return segment === parts[index];
          let value: string;
          try {
            value = decodeURIComponent(parts[index]!);
          } catch {
            return false;
          }
          params[segment.slice(1)] = value;
          return value.length > 0;
        });
        if (!fits) continue;
        pathKnown = true;
        if (route.method === method || (route.method === 'GET' && method === 'HEAD')) return { route, params };
      }
      throw pathKnown ? new HttpError(405, `${method} is not allowed here`) : new HttpError(404, `no route ${pathname}`);
    },
  };
}

export function routeContext(req: IncomingMessage, res: ServerResponse, url: URL, params: Record<string, string>, maxBodyBytes: number): RouteContext {
  return { req, res, params, query: url.searchParams, body: () => readJsonBody(req, maxBodyBytes) };
}
