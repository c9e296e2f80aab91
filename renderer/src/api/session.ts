// Where the gateway is and the token it wants. In a browser the UI is served by the gateway itself; the token
// arrives once in the URL fragment (`/wall#token=…`, never sent to the server) or from the login page, and is
// kept for this tab only. In the desktop app the preload's bridge hands over both.
import type { DesktopBridge } from '../../../backend/contracts/index.js';

const TOKEN_KEY = 'tcr.token';

export interface Session {
  gatewayUrl: string;
  token: string | null;
}

declare global {
  interface Window {
    tcrDesktop?: DesktopBridge;
  }
}

/** The token in a fragment like `#token=abc`, or null. */
export function tokenFromFragment(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && token.trim().length > 0 ? token.trim() : null;
}

export async function loadSession(): Promise<Session> {
  if (window.tcrDesktop) return window.tcrDesktop.session();
  const fromFragment = tokenFromFragment(window.location.hash);
  if (fromFragment) {
    sessionStorage.setItem(TOKEN_KEY, fromFragment);
    // Out of the address bar, the history and any screenshot of the screen.
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return { gatewayUrl: window.location.origin, token: sessionStorage.getItem(TOKEN_KEY) };
}

export function saveToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token.trim());
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}
