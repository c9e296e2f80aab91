// `tcr bench agent`: what another host of the cluster runs so that `tcr bench e2e --agent role=URL` can place a role's
// process there: it makes the cameras' files, writes the run's config files, starts, signals and measures `tcr server`
// processes, and takes a camera away, each only inside a run's own folder. It starts nothing but `tcr server` and
// answers only requests with its token: it binds 127.0.0.1 unless told otherwise.
import { timingSafeEqual } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { HttpError, readJsonBody, sendJson } from '../../core/httpResponses.js';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { isRunning, startTcr, type BenchChild } from '../benchProcesses.js';
import { freePort } from '../freePort.js';
import { processTable, treeCpuSeconds } from '../processCpu.js';
import { makeCameraFiles, setCameraAway } from './e2eCameras.js';

/** Where the agent and the bench find the token the agent requires. */
export const AGENT_TOKEN_VARIABLE = 'TCR_BENCH_AGENT_TOKEN';

export interface AgentOptions {
  host: string;
  port: number;
  token: string;
  /** Runs' folders are made in here. */
  baseDir: string;
  /** Relative paths of a request (videos, photos, the model in a config) are taken from here: this host's checkout. */
  checkoutDir: string;
}

export interface Agent {
  readonly url: string;
  close(): Promise<void>;
}

/** What a process's status answer holds. */
export interface AgentProcessStatus {
  pid: number | null;
  stdout: string;
  exit: { code: number | null; signal: string | null } | null;
  cpu_seconds: number | null;
}

interface Run {
  dir: string;
  processes: BenchChild[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const BODY_LIMIT = 1024 * 1024;

export async function startAgent(options: AgentOptions): Promise<Agent> {
  const runs = new Map<string, Run>();
  const expected = Buffer.from(`Bearer ${options.token}`);
  const authorized = (request: IncomingMessage): boolean => {
    const given = Buffer.from(request.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const runOf = (id: string): Run => {
    const run = runs.get(id);
    if (!run) throw new HttpError(404, `no run ${id}`);
    return run;
  };
  const inRun = (run: Run, file: string): string => {
    const path = resolve(file);
    if (!path.startsWith(run.dir + sep)) throw new HttpError(400, `${file} is not in the run's folder`);
    return path;
  };
  const fromCheckout = (path: string): string => (isAbsolute(path) ? path : join(options.checkoutDir, path));
  /** SIGKILLs the run's processes still running and forgets the run; how many were killed. */
  const endRun = async (id: string, keepFiles: boolean): Promise<number> => {
    const run = runOf(id);
    const running = run.processes.filter(isRunning);
    for (const child of running) child.process.kill('SIGKILL');
    await Promise.all(running.map((child) => child.exited));
    if (!keepFiles) rmSync(run.dir, { recursive: true, force: true });
    runs.delete(id);
    return running.length;
  };

  const routes: [string, RegExp, (match: string[], body: Record<string, unknown>) => Promise<unknown>][] = [
    ['GET', /^\/free-port$/, async () => ({ port: await freePort() })],
    [
      'POST',
      /^\/runs\/([^/]+)$/,
      async ([id]) => {
        if (!NAME.test(id!)) throw new HttpError(400, 'a run id is letters, digits, . _ -');
        if (!runs.has(id!)) {
          const dir = join(options.baseDir, id!);
          mkdirSync(join(dir, 'logs'), { recursive: true });
          runs.set(id!, { dir, processes: [] });
        }
        return { dir: runOf(id!).dir };
      },
    ],
    [
      'POST',
      /^\/runs\/([^/]+)\/files$/,
      async ([id], body) => {
        const run = runOf(id!);
        const name = stringOf(body, 'name');
        if (!NAME.test(name)) throw new HttpError(400, 'a file name is letters, digits, . _ -');
        const path = join(run.dir, name);
        writeFileSync(path, stringOf(body, 'content'));
        return { path };
      },
    ],
    [
      'POST',
      /^\/runs\/([^/]+)\/cameras$/,
      async ([id], body) => {
        const run = runOf(id!);
        const cameras = Number(body.cameras);
        if (!Number.isInteger(cameras) || cameras < 1 || cameras > 1000) throw new HttpError(400, 'cameras: 1 to 1000');
        const videos = Array.isArray(body.videos) ? body.videos.map(String).map(fromCheckout) : [];
        return { files: await makeCameraFiles({ cameras, videos, imagesFolder: fromCheckout(stringOf(body, 'images_folder')) }, run.dir) };
      },
    ],
    ['POST', /^\/runs\/([^/]+)\/camera-away$/, async ([id], body) => ({ killed: setCameraAway(inRun(runOf(id!), stringOf(body, 'file')), body.away === true) })],
    [
      'POST',
      /^\/runs\/([^/]+)\/processes$/,
      async ([id], body) => {
        const run = runOf(id!);
        const name = stringOf(body, 'name');
        const args = Array.isArray(body.args) ? body.args.map(String) : [];
        if (!NAME.test(name)) throw new HttpError(400, 'a process name is letters, digits, . _ -');
        // A run's processes are roles of the site: `tcr server` with configs of this run.
        if (args[0] !== 'server') throw new HttpError(400, 'only `tcr server` is started here');
        const log = openSync(join(run.dir, 'logs', `${name}.log`), 'a');
        const child = startTcr(args, {}, log);
        closeSync(log);
        run.processes.push(child);
        return { id: run.processes.length - 1, pid: child.process.pid ?? null };
      },
    ],
    [
      'GET',
      /^\/runs\/([^/]+)\/processes\/(\d+)$/,
      async ([id, index]) => {
        const child = processOf(runOf(id!), index!);
        const running = isRunning(child);
        const pid = child.process.pid ?? null;
        return {
          pid,
          stdout: child.stdout(),
          exit: running ? null : { code: child.process.exitCode, signal: child.process.signalCode },
          cpu_seconds: running && pid !== null ? treeCpuSeconds(processTable(), pid) : null,
        } satisfies AgentProcessStatus;
      },
    ],
    [
      'POST',
      /^\/runs\/([^/]+)\/processes\/(\d+)\/signal$/,
      async ([id, index], body) => {
        const child = processOf(runOf(id!), index!);
        const signal = stringOf(body, 'signal');
        if (signal !== 'SIGTERM' && signal !== 'SIGKILL') throw new HttpError(400, 'signal: SIGTERM or SIGKILL');
        if (isRunning(child)) child.process.kill(signal);
        return { sent: signal };
      },
    ],
    ['DELETE', /^\/runs\/([^/]+)$/, async ([id], body) => ({ killed: await endRun(id!, body.keep_files === true) })],
  ];

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      if (!authorized(request)) throw new HttpError(401, 'token required');
      const path = new URL(request.url ?? '/', 'http://agent').pathname;
      for (const [method, pattern, route] of routes) {
        const match = pattern.exec(path);
        if (!match || request.method !== method) continue;
        const body = await readJsonBody(request, BODY_LIMIT);
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'the body must be a JSON object');
        sendJson(response, 200, await route(match.slice(1).map(decodeURIComponent), body as Record<string, unknown>));
        return;
      }
      throw new HttpError(404, `no ${request.method} ${path}`);
    } catch (error) {
      sendJson(response, error instanceof HttpError ? error.status : 500, { error: (error as Error).message });
    }
  };

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolveListen());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    async close() {
      for (const id of [...runs.keys()]) await endRun(id, true);
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}

function processOf(run: Run, index: string): BenchChild {
  const child = run.processes[Number(index)];
  if (!child) throw new HttpError(404, `no process ${index}`);
  return child;
}

function stringOf(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string') throw new HttpError(400, `${field}: a string is required`);
  return value;
}
