// Results history per camera (newest first, paged), one stored verdict (an alert's detail: description, risk
// types, recommended action) and its group crop.
import type { ResultStore } from '../../results/resultStore.js';
import { HttpError, sendBytes } from '../../core/httpResponses.js';
import type { Route } from '../routes.js';
import { decodeCursor, encodeCursor, positiveInt } from './queryParams.js';

export function resultRoutes(store: () => ResultStore): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/cameras/:id/results',
      handle: ({ params, query }) => {
        const before = decodeCursor(query.get('before'), (parts) => (parts.length === 2 && typeof parts[1] === 'string' ? { capturedAtMs: Number(parts[0]), taskId: parts[1] } : null));
        const page = store().byCamera(params.id!, { limit: positiveInt(query.get('limit'), 'limit', 1000), before });
        return { results: page.results.map(({ result, storedAtMs }) => ({ ...result, stored_at_ms: storedAtMs })), next: page.next && encodeCursor([page.next.capturedAtMs, page.next.taskId]) };
      },
    },
    {
      method: 'GET',
      path: '/api/results/:taskId',
      handle: ({ params }) => {
        const found = store().get(params.taskId!);
        if (found === null) throw new HttpError(404, `no result ${params.taskId!.slice(0, 80)}`);
        return { ...found.result, crop_jpeg_b64: null, stored_at_ms: found.storedAtMs };
      },
    },
    {
      method: 'GET',
      path: '/api/results/:taskId/crop',
      // The task id is only ever a key of a database lookup, never part of a file path.
      handle: ({ params, res }) => {
        const jpeg = store().crop(params.taskId!);
        if (jpeg !== null) return void sendBytes(res, 'image/jpeg', jpeg);
        if (store().get(params.taskId!) === null) throw new HttpError(404, `no result ${params.taskId!.slice(0, 80)}`);
        // The verdict exists and has no picture (below results.crop_min_risk_level, past results.crop_retention_days,
        // or its task had none): a success with nothing to show, not a missing page.
        res.writeHead(204, { 'cache-control': 'no-store' });
        res.end();
      },
    },
  ];
}
