// Polls the local gateway for the open-alert count the tray shows. A failed poll is reported as null (the tray
// says the backend is not answering) and polling goes on. No electron import: tested under plain Node.
import { openAlertCounts, type OpenAlertCounts } from '../backend/contracts/index.js';

export interface OpenAlertWatchSettings {
  gatewayUrl: string;
  token: string;
  everyMs: number;
  onCounts(counts: OpenAlertCounts | null): void;
}

export async function fetchOpenAlertCounts(gatewayUrl: string, token: string, signal?: AbortSignal): Promise<OpenAlertCounts | null> {
  try {
    const response = await fetch(new URL('/api/alerts/open-count', gatewayUrl), { headers: { authorization: `Bearer ${token}` }, signal: signal ?? AbortSignal.timeout(3000) });
    if (!response.ok) return null;
    const parsed = openAlertCounts.safeParse(await response.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Starts at once; the returned function stops it. */
export function watchOpenAlerts(settings: OpenAlertWatchSettings): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async (): Promise<void> => {
    const counts = await fetchOpenAlertCounts(settings.gatewayUrl, settings.token);
    if (stopped) return;
    settings.onCounts(counts);
    timer = setTimeout(() => void poll(), settings.everyMs);
  };
  void poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
