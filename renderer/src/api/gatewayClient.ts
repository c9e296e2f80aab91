// The gateway's REST API with the session's token; a 401 is its own error, so the UI can show the login page.
import type { Session } from './session.js';

export class Unauthorized extends Error {}

export class RequestFailed extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The answer's JSON (a 422 lists its problems). */
    readonly body: unknown = null,
  ) {
    super(message);
  }
}

export function createGatewayClient(session: Session) {
  const request = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${session.gatewayUrl}${path}`, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${session.token ?? ''}` } });
    if (response.status === 401) throw new Unauthorized();
    const body = (await response.json().catch(() => ({}))) as T & { error?: string };
    if (!response.ok) throw new RequestFailed(response.status, body.error ?? `HTTP ${response.status}`, body);
    return body;
  };
  return {
    get: <T>(path: string) => request<T>(path),
    post: <T>(path: string, body: unknown) => request<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    /** An image of the API (a crop) as a Blob; null when there is none (204) or the request failed. */
    async blob(path: string): Promise<Blob | null> {
      const response = await fetch(`${session.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${session.token ?? ''}` } });
      if (response.status === 401) throw new Unauthorized();
      return response.status === 200 ? response.blob() : null;
    },
    streamUrl: (since: number) => `${session.gatewayUrl.replace(/^http/, 'ws')}/ws${since > 0 ? `?since=${since}` : ''}`,
    token: session.token,
  };
}

export type GatewayClient = ReturnType<typeof createGatewayClient>;
