// The live state in a zustand store, fed by one WebSocket to the gateway that reconnects by itself and resumes
// from the last alert change it saw; the connection's state is shown to the operator.
import { create } from 'zustand';
import type { AlertView, StreamMessage } from '../../../backend/contracts/index.js';
import { Unauthorized, type GatewayClient } from '../api/gatewayClient.js';
import { applyMessage, initialLiveState, withAlerts, type LiveState } from './liveState.js';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

interface LiveStore extends LiveState {
  connection: ConnectionState;
  apply(message: StreamMessage): void;
  loadAlerts(alerts: readonly AlertView[]): void;
  setConnection(connection: ConnectionState): void;
  /** Forgets everything shown (the token was withdrawn). */
  reset(): void;
}

export const useLiveStore = create<LiveStore>((set) => ({
  ...initialLiveState,
  connection: 'connecting',
  apply: (message) => set((state) => applyMessage(state, message)),
  loadAlerts: (alerts) => set((state) => withAlerts(state, alerts)),
  setConnection: (connection) => set({ connection }),
  reset: () => set({ ...initialLiveState }),
}));

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 10_000;

/**
 * Opens the stream and keeps it open; returns a function that closes it for good. A browser does not see why an
 * upgrade was refused, so after a drop one API call tells a rotated token (`onUnauthorized`: the login) from a
 * backend that is away (retried).
 */
export function connectStream(client: GatewayClient, onUnauthorized: () => void): () => void {
  let retryMs = RETRY_MIN_MS;
  let socket: WebSocket | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const store = useLiveStore.getState;

  const reloadAlerts = (): void => {
    client.get<{ alerts: AlertView[] }>('/api/alerts?limit=500').then(
      (page) => store().loadAlerts(page.alerts),
      () => undefined,
    );
  };

  const open = (): void => {
    socket = new WebSocket(client.streamUrl(store().lastAlertSeq), ['tcr.v1', `tcr.token.${client.token ?? ''}`]);
    socket.onopen = () => {
      retryMs = RETRY_MIN_MS;
      store().setConnection('live');
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as StreamMessage;
      store().apply(message);
      if (message.type === 'resync') reloadAlerts();
    };
    socket.onclose = () => {
      if (stopped) return;
      store().setConnection('reconnecting');
      timer = setTimeout(() => {
        client.get('/api/alerts/open-count').then(
          () => !stopped && open(),
          (error: unknown) => {
            if (stopped) return;
            if (!(error instanceof Unauthorized)) return open();
            stopped = true;
            store().setConnection('unauthorized');
            onUnauthorized();
          },
        );
      }, retryMs);
      retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
    };
  };

  reloadAlerts();
  open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    socket?.close();
  };
}
