// The boundary between the Electron shell and the backend it hosts: the session the renderer gets.
import { z } from 'zod';

/** Sent once by the backend process to the Electron main process when its gateway listens. */
export const desktopSessionMessage = z.object({
  type: z.literal('gateway-ready'),
  gateway_url: z.url(),
  token: z.string().min(16),
  keep_running_on_close: z.boolean(),
});
export type DesktopSessionMessage = z.infer<typeof desktopSessionMessage>;

/** What the preload script exposes to the renderer as `window.tcrDesktop`: nothing else. */
export interface DesktopBridge {
  /** Gateway URL and session token of the local backend. */
  session(): Promise<{ gatewayUrl: string; token: string }>;
  /** Opens a URL of the operator's choosing (documentation, a camera's web page) in the system browser. */
  openExternal(url: string): Promise<void>;
}
