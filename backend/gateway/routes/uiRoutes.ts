// The built control room (dist/renderer) at the gateway's address, so a browser on another machine uses the same
// UI as the desktop app. Files are read once at start into memory and served by name: no request path ever
// becomes a file path. They carry no data (everything comes from the API with the token), so they need no token.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { HttpError, sendBytes } from '../../core/httpResponses.js';
import type { Route } from '../routes.js';

/** The renderer's views: each path loads the one page, which shows the view named by the path. */
export const UI_PATHS = ['/wall', '/alerts', '/pipeline', '/keys', '/settings', '/login'] as const;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

/**
 * Scripts and styles from this origin only (no inline code, no eval); the API and stream on this origin;
 * thumbnails and crops as data or blob URLs; no plugins, frames, base changes or form posts elsewhere.
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

interface Asset {
  type: string;
  bytes: Buffer;
}

function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const folder = join(dir, 'assets');
  if (!existsSync(folder)) return assets;
  for (const name of readdirSync(folder)) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, { type, bytes: readFileSync(join(folder, name)) });
  }
  return assets;
}

export function uiRoutes(uiDir: string): Route[] {
  const indexFile = join(uiDir, 'index.html');
  const page = existsSync(indexFile) ? readFileSync(indexFile) : null;
  const assets = page ? loadAssets(uiDir) : new Map<string, Asset>();
  const notBuilt = (): never => {
    throw new HttpError(503, `the control room UI is not built (${indexFile} is missing): run npm run build:web`);
  };
  const servePage: Route['handle'] = ({ res }) => {
    if (!page) notBuilt();
    sendBytes(res, 'text/html; charset=utf-8', page!, { 'content-security-policy': PAGE_CSP });
  };
  return [
    {
      method: 'GET',
      path: '/',
      auth: false,
      handle: ({ res }) => {
        res.writeHead(302, { location: '/wall', 'cache-control': 'no-store' });
        res.end();
      },
    },
    ...UI_PATHS.map((path): Route => ({ method: 'GET', path, auth: false, handle: servePage })),
    // One camera's detail view; the page reads the camera from the path.
    { method: 'GET', path: '/wall/:camera', auth: false, handle: servePage },
    {
      method: 'GET',
      path: '/assets/:file',
      auth: false,
      handle: ({ params, res }) => {
        const asset = assets.get(params.file!);
        if (!asset) throw new HttpError(404, `no asset ${params.file!.slice(0, 80)}`);
        // Vite names assets by content hash: a name never changes what it holds.
        sendBytes(res, asset.type, asset.bytes, { 'cache-control': 'public, max-age=31536000, immutable', 'content-security-policy': PAGE_CSP });
      },
    },
  ];
}
