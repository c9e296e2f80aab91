// Another host of the cluster, reached through the `tcr bench agent` running there (e2eAgent.ts): the acceptance run
// places a role's process on it and drives it exactly as a local one.
import { relative, resolve } from 'node:path';
import type { AgentProcessStatus } from './e2eAgent.js';
import type { SiteChild, SiteHost } from './e2eHosts.js';

/** How often a remote process's state is read (its exit, its stdout). */
const POLL_MS = 500;
const REQUEST_TIMEOUT_MS = 120_000;

export async function agentHost(url: string, token: string, runId: string): Promise<SiteHost> {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const answer = (await response.json().catch(() => ({}))) as T & { error?: string };
    if (!response.ok) throw new Error(`bench agent ${url}: ${method} ${path}: ${response.status} ${answer.error ?? ''}`);
    return answer;
  };
  const run = `/runs/${encodeURIComponent(runId)}`;
  const { dir } = await call<{ dir: string }>('POST', run);
  /** Each process's latest status, read by its exit poll (every POLL_MS): its CPU comes from there too. */
  const latest = new Map<SiteChild, () => AgentProcessStatus>();
  /** Once the run is closed its processes are gone with it: nothing more is polled. */
  let closed = false;

  return {
    address: new URL(url).hostname.replace(/^\[|\]$/g, ''),
    dir,
    freePort: async () => (await call<{ port: number }>('GET', '/free-port')).port,
    writeFile: async (name, content) => (await call<{ path: string }>('POST', `${run}/files`, { name, content })).path,
    pathOf: portablePath,
    cameraFiles: async (clips) =>
      (await call<{ files: string[] }>('POST', `${run}/cameras`, { cameras: clips.cameras, videos: clips.videos.map(portablePath), images_folder: portablePath(clips.imagesFolder) })).files,
    setCameraAway: async (file, away) => (await call<{ killed: number }>('POST', `${run}/camera-away`, { file, away })).killed,
    async start(name, args, env) {
      if (Object.keys(env).length > 0) throw new Error(`bench agent ${url}: ${name} needs secrets in its environment; it runs on this host only`);
      const { id, pid } = await call<{ id: number; pid: number | null }>('POST', `${run}/processes`, { name, args });
      let last: AgentProcessStatus = { pid, stdout: '', exit: null, cpu_seconds: null };
      const exited = new Promise<number | null>((resolveExit) => {
        const poll = async (): Promise<void> => {
          last = await call<AgentProcessStatus>('GET', `${run}/processes/${id}`).catch(() => last);
          if (last.exit) resolveExit(last.exit.code);
          else if (closed) resolveExit(null);
          else setTimeout(() => void poll(), POLL_MS);
        };
        void poll();
      });
      const child: SiteChild = {
        pid,
        stdout: () => last.stdout,
        exited,
        exitStatus: () => last.exit,
        kill: (signal) => void call('POST', `${run}/processes/${id}/signal`, { signal }).catch(() => undefined),
      };
      latest.set(child, () => last);
      return child;
    },
    cpuSeconds: async (of) => of.map((child) => latest.get(child)?.().cpu_seconds ?? null),
    async close(keepFiles) {
      closed = true;
      await call('DELETE', run, { keep_files: keepFiles });
    },
  };
}

/**
 * The same file on the agent's host: relative to the working directory, which the agent resolves against its own
 * (both run in a checkout with ../shared beside it, as the README sets one up).
 */
function portablePath(path: string): string {
  return relative(process.cwd(), resolve(path));
}
