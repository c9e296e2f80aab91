// Cameras with their live state, pipeline status (lag, rates, latency, dead letters) and the routes' index.
import type { GatewayViews } from '../gatewayViews.js';
import type { Route } from '../routes.js';

export function pipelineRoutes(views: GatewayViews): Route[] {
  return [
    { method: 'GET', path: '/api/cameras', handle: () => ({ cameras: views.cameras() }) },
    { method: 'GET', path: '/api/pipeline', handle: () => views.pipeline() },
  ];
}
