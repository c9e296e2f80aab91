// /healthz (no token: load balancers and the desktop shell probe it), /readyz, /metrics for Prometheus and
// /api-key-pool/health, the original troubleshooting guide's.
import type { GatewayViews } from '../gatewayViews.js';
import { sendBytes, sendJson } from '../../core/httpResponses.js';
import type { Route } from '../routes.js';

export function opsRoutes(views: GatewayViews): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      auth: false,
      // Liveness says only whether to restart the process: nothing about its roles leaks without the token.
      handle: ({ res }) => {
        const { ok } = views.health();
        sendJson(res, ok ? 200 : 503, { ok });
      },
    },
    {
      method: 'GET',
      path: '/readyz',
      handle: ({ res }) => {
        const readiness = views.readiness();
        sendJson(res, readiness.ready ? 200 : 503, { ...readiness, ...views.health() });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handle: async ({ res }) => sendBytes(res, views.registry.contentType, await views.registry.metrics()),
    },
    {
      method: 'GET',
      path: '/api-key-pool/health',
      // Without a pool the answer is still 200: "no keys here" is this process's health, not a missing page.
      handle: () => views.keyPoolHealth() ?? { configured: false, reason: 'no key pool in this process: the scheduler assesses with the rules assessor, or runs elsewhere' },
    },
  ];
}
