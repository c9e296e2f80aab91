// Where the acceptance run's processes run: this host, or another host of the cluster through its `tcr bench agent`
// (e2eAgentHost.ts). A process is a SiteChild wherever it runs, so faults, CPU and the final stop treat both alike.
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRunning, startTcr, type BenchChild } from '../benchProcesses.js';
import { freePort } from '../freePort.js';
import { processTable, treeCpuSeconds } from '../processCpu.js';
import { makeCameraFiles, setCameraAway, type CameraClips } from './e2eCameras.js';

export interface SiteChild {
  readonly pid: number | null;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  /** Resolves with its exit code (null when a signal ended it) once it is gone. */
  readonly exited: Promise<number | null>;
  /** null while it runs. */
  exitStatus(): { code: number | null; signal: string | null } | null;
  kill(signal: 'SIGTERM' | 'SIGKILL'): void;
}

export interface SiteHost {
  /** Where the other hosts reach this host's processes (their ops endpoints). */
  readonly address: string;
  /** The run's folder on this host. */
  readonly dir: string;
  freePort(): Promise<number>;
  /** A file of the bench's host (the model, a clip) as this host's processes name it. */
  pathOf(benchPath: string): string;
  /** Writes a file into the run's folder; its path on this host. */
  writeFile(name: string, content: string): Promise<string>;
  /** The cameras' files, made here from the clips. */
  cameraFiles(clips: CameraClips): Promise<string[]>;
  setCameraAway(file: string, away: boolean): Promise<number>;
  /** Starts `tcr <args>`, logging to logs/<name>.log of the run's folder (appended to by its restarts). */
  start(name: string, args: readonly string[], env: Record<string, string>): Promise<SiteChild>;
  /** CPU seconds of each process and its live descendants (its ffmpegs), null where it cannot be read. */
  cpuSeconds(children: readonly SiteChild[]): Promise<(number | null)[]>;
  /** SIGKILLs what is left of the run's processes here, and deletes the run's folder unless it is kept. */
  close(keepFiles: boolean): Promise<void>;
}

export function localChild(child: BenchChild): SiteChild {
  return {
    pid: child.process.pid ?? null,
    stdout: child.stdout,
    exited: child.exited,
    exitStatus: () => (isRunning(child) ? null : { code: child.process.exitCode, signal: child.process.signalCode }),
    kill: (signal) => {
      if (isRunning(child)) child.process.kill(signal);
    },
  };
}

/** The bench's own host, which also runs processes started otherwise (llm-sim), so that a failed run stops them too. */
export interface LocalHost extends SiteHost {
  adopt(child: BenchChild): SiteChild;
}

/** This host: the run's folder is `dir`. */
export function localHost(dir: string): LocalHost {
  const children: BenchChild[] = [];
  const logs = join(dir, 'logs');
  return {
    address: '127.0.0.1',
    dir,
    adopt(child) {
      children.push(child);
      return localChild(child);
    },
    freePort: () => freePort(),
    pathOf: (benchPath) => benchPath,
    async writeFile(name, content) {
      const file = join(dir, name);
      writeFileSync(file, content);
      return file;
    },
    cameraFiles: (clips) => makeCameraFiles(clips, dir),
    setCameraAway: async (file, away) => setCameraAway(file, away),
    async start(name, args, env) {
      mkdirSync(logs, { recursive: true });
      const log = openSync(join(logs, `${name}.log`), 'a');
      const child = startTcr(args, env, log);
      closeSync(log);
      children.push(child);
      return localChild(child);
    },
    async cpuSeconds(of) {
      const table = processTable();
      return of.map((child) => (child.pid === null ? null : treeCpuSeconds(table, child.pid)));
    },
    async close(keepFiles) {
      const running = children.filter(isRunning);
      for (const child of running) child.process.kill('SIGKILL');
      await Promise.race([Promise.all(running.map((child) => child.exited)), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (!keepFiles) rmSync(dir, { recursive: true, force: true });
    },
  };
}
