// Reading requests and writing answers for HTTP routes (the gateway's, the bench agent's): JSON both ways, with size
// limits, and errors that say what was wrong without saying anything about the server.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An answer other than 200, thrown by a route; `status` and `message` are all the client sees. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // Nothing the gateway serves is meant to be framed or to run scripts from elsewhere.
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** `headers` replace the defaults of the same name (the UI's pages need a CSP that lets their scripts run). */
export function sendBytes(res: ServerResponse, contentType: string, bytes: Buffer | string, headers: Record<string, string> = {}): void {
  res.writeHead(200, { ...SECURITY_HEADERS, ...headers, 'content-type': contentType, 'content-length': Buffer.byteLength(bytes) });
  res.end(bytes);
}

/** The JSON body of a request, refused with 413 past `limitBytes` (counted as it arrives) and 400 when not JSON. */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw new HttpError(413, `request body over ${limitBytes} bytes`);
  const type = req.headers['content-type'] ?? '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new HttpError(413, `request body over ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  if (!type.startsWith('application/json')) throw new HttpError(415, 'expected content-type application/json');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}
