// Whether a request carries the gateway's token. Both sides are hashed to one length before a constant-time
// compare, so neither a near miss nor a token of another length answers any faster.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Browsers cannot set headers on a WebSocket; they offer the token as a subprotocol (as Kubernetes does). */
export const WS_TOKEN_PROTOCOL_PREFIX = 'tcr.token.';
/** The subprotocol a client offers beside the token, and the one the server answers with: the token is never echoed. */
export const WS_PROTOCOL = 'tcr.v1';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export function createTokenCheck(token: string): (request: IncomingMessage) => boolean {
  const expected = digest(token);
  const matches = (given: string): boolean => timingSafeEqual(digest(given), expected);
  return (request) => {
    const header = request.headers.authorization;
    if (typeof header === 'string' && header.startsWith('Bearer ')) return matches(header.slice('Bearer '.length).trim());
    const protocols = request.headers['sec-websocket-protocol'];
    if (typeof protocols === 'string') {
      const offered = protocols.split(',').map((protocol) => protocol.trim()).find((protocol) => protocol.startsWith(WS_TOKEN_PROTOCOL_PREFIX));
      if (offered) return matches(offered.slice(WS_TOKEN_PROTOCOL_PREFIX.length));
    }
    return false;
  };
}
