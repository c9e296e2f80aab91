// The WebSocket stream (/ws): every client gets one typed stream, with its own backpressure. Alerts and results
// are queued in order (bounded: past the bound a client is told to resync rather than buffered without end, and
// cut off if it still reads nothing);
// snapshots (cameras, key pool, pipeline) keep only the latest per type; thumbnails are dropped while a client's
// socket is behind. A client that reconnects with ?since=<seq> first gets the alert changes it missed.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StreamMessage } from '../contracts/index.js';
import type { AlertChange } from '../results/alertStore.js';
import { WS_PROTOCOL } from './tokenCheck.js';

export interface StreamSettings {
  /** A socket with more than this unsent is behind: thumbnails skip it and queued messages wait. */
  highWaterBytes: number;
  /** Alert and result messages a client may have waiting; past it the queue is replaced by one resync. */
  maxQueued: number;
  /** Largest frame a client may send (it has nothing to send but pings). */
  maxFrameBytes: number;
  /** Alert changes replayed to a reconnecting client at most. */
  maxCatchUp: number;
}

type SnapshotType = 'cameras' | 'key_pool' | 'pipeline';

/** Messages are serialized once for all clients; a client's queue holds the text. */
interface Client {
  socket: WebSocket;
  queue: string[];
  snapshots: Map<SnapshotType, string>;
  /** The queue overflowed and a resync waits at its head: a second overflow means the client reads nothing. */
  resyncWaiting: boolean;
}

export interface StreamHub {
  readonly path: string;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  alert(change: AlertChange): void;
  result(message: Extract<StreamMessage, { type: 'result' }>): void;
  notice(message: Extract<StreamMessage, { type: 'notice' }>): void;
  thumbnail(message: Extract<StreamMessage, { type: 'thumbnail' }>): void;
  snapshot(message: Extract<StreamMessage, { type: SnapshotType }>): void;
  clients(): number;
  /** Bytes waiting in all clients' sockets and queues: what a slow client could make grow. */
  buffered(): number;
  close(): Promise<void>;
}

export interface StreamSources {
  lastAlertSeq(): number;
  alertChangesSince(seq: number, limit: number): AlertChange[];
  now(): number;
}

/** Sockets with something waiting are retried this often; ws has no drain event of its own. */
const FLUSH_EVERY_MS = 50;
const CLOSE_GRACE_MS = 1000;

export function createStreamHub(settings: StreamSettings, sources: StreamSources): StreamHub {
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: settings.maxFrameBytes,
    // A browser offers ['tcr.v1', 'tcr.token.<token>']; the answer is the protocol name, never the token.
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  const clients = new Set<Client>();
  let closing: Promise<void> | null = null;

  const flush = (client: Client): void => {
    const { socket } = client;
    if (socket.readyState !== socket.OPEN) return;
    while (socket.bufferedAmount < settings.highWaterBytes) {
      const next = client.queue.shift() ?? takeSnapshot(client);
      if (next === undefined) return;
      // Its socket took more: the client reads, however slowly.
      client.resyncWaiting = false;
      socket.send(next);
    }
  };
  const takeSnapshot = (client: Client): string | undefined => {
    const [type, text] = client.snapshots.entries().next().value ?? [];
    if (type === undefined) return undefined;
    client.snapshots.delete(type);
    return text;
  };
  const enqueue = (client: Client, text: string): void => {
    if (client.queue.length < settings.maxQueued) return void client.queue.push(text);
    if (client.resyncWaiting) {
      // It read nothing since it was told to resync: cut it off; it catches up with ?since= when it comes back.
      client.socket.terminate();
      clients.delete(client);
      return;
    }
    // Too far behind to catch up message by message: it reloads the lists and resumes from there.
    client.queue = [JSON.stringify({ type: 'resync', reason: `more than ${settings.maxQueued} messages waited for this client` } satisfies StreamMessage)];
    client.resyncWaiting = true;
  };
  const timer = setInterval(() => {
    for (const client of clients) if (client.queue.length > 0 || client.snapshots.size > 0) flush(client);
  }, FLUSH_EVERY_MS);
  timer.unref();

  const ordered = (message: StreamMessage): void => {
    const text = JSON.stringify(message);
    for (const client of clients) {
      enqueue(client, text);
      flush(client);
    }
  };

  return {
    path: '/ws',
    upgrade(req, socket, head) {
      server.handleUpgrade(req, socket, head, (ws) => {
        const client: Client = { socket: ws, queue: [], snapshots: new Map(), resyncWaiting: false };
        clients.add(client);
        ws.on('close', () => clients.delete(client));
        ws.on('error', () => ws.terminate());
        // Clients send nothing we act on; reading their frames keeps pings answered.
        ws.on('message', () => undefined);
        const since = Number(new URL(req.url ?? '/', 'http://gateway').searchParams.get('since'));
        const initial: StreamMessage[] = [{ type: 'hello', server_time_ms: sources.now(), last_alert_seq: sources.lastAlertSeq() }];
        if (Number.isSafeInteger(since) && since > 0) {
          const missed = sources.alertChangesSince(since, settings.maxCatchUp + 1);
          if (missed.length > settings.maxCatchUp) initial.push({ type: 'resync', reason: `more than ${settings.maxCatchUp} alert changes since ${since}` });
          else for (const change of missed) initial.push({ type: 'alert', ...change });
        }
        // The catch-up may be longer than the live queue's bound: it is what this client asked for.
        client.queue.push(...initial.map((message) => JSON.stringify(message)));
        flush(client);
      });
    },
    alert: (change) => ordered({ type: 'alert', ...change }),
    result: (message) => ordered(message),
    notice: (message) => ordered(message),
    thumbnail(message) {
      const text = JSON.stringify(message);
      for (const client of clients) {
        // A thumbnail is stale by the next one: a client that is behind simply misses it.
        if (client.socket.readyState === client.socket.OPEN && client.socket.bufferedAmount < settings.highWaterBytes && client.queue.length === 0) client.socket.send(text);
      }
    },
    snapshot(message) {
      const text = JSON.stringify(message);
      for (const client of clients) {
        client.snapshots.set(message.type, text);
        flush(client);
      }
    },
    clients: () => clients.size,
    buffered: () => [...clients].reduce((sum, client) => sum + client.socket.bufferedAmount + client.queue.reduce((bytes, text) => bytes + text.length, 0), 0),
    close() {
      closing ??= closeAll();
      return closing;
    },
  };

  async function closeAll(): Promise<void> {
    clearInterval(timer);
    for (const client of clients) client.socket.close(1001, 'server stopping');
    // A client that does not answer the closing handshake (one that never reads) is cut off after a moment.
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (clients.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const client of clients) client.socket.terminate();
    clients.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
