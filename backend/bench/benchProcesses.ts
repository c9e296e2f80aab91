// The child processes of a benchmark, started as a site runs them: `tcr` subcommands, and busy CPU burners.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BugError } from '../core/errors.js';
import { withTimeout } from '../core/withTimeout.js';

export interface BenchChild {
  readonly process: ChildProcess;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  readonly exited: Promise<number | null>;
}

/** Neither exited nor ended by a signal yet. */
export function isRunning(child: BenchChild): boolean {
  return child.process.exitCode === null && child.process.signalCode === null;
}

/** bin/tcr.js from the sources (backend/bench) or from the build (dist/backend/bench). */
function tcrBin(): string {
  for (const relative of ['../../bin/tcr.js', '../../../bin/tcr.js']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new BugError('bin/tcr.js is not where the benchmarks expect it');
}

function watch(child: ChildProcess): BenchChild {
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  // 'close', not 'exit': stdout is read to its end before the child counts as gone.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { process: child, stdout: () => out, exited };
}

/**
 * `env`: added to this process's environment (e.g. the API keys a key file names as ${VAR}); `stderrFd`: where its
 * log goes (an open file; default: this process's stderr).
 */
export function startTcr(args: readonly string[], env: Record<string, string> = {}, stderrFd: number | 'inherit' = 'inherit'): BenchChild {
  return watch(spawn(process.execPath, [tcrBin(), ...args], { stdio: ['pipe', 'pipe', stderrFd], env: { ...process.env, ...env } }));
}

export interface SimChildOptions {
  keys: number;
  keyQps: number;
  keyRpm: number;
  latencyMs: number;
  jitterMs: number;
}

/** `tcr llm-sim` on a free port with generated keys key-001… (values from simApiKey). */
export async function startSimChild(options: SimChildOptions): Promise<{ child: BenchChild; url: string }> {
  const child = startTcr([
    'llm-sim', '--port', '0', '--keys', String(options.keys), '--key-qps', String(options.keyQps), '--key-rpm', String(options.keyRpm),
    '--latency-ms', String(options.latencyMs), '--jitter-ms', String(options.jitterMs),
  ]);
  const [, url] = await outputOf(child, /llm-sim on (\S+)\/v1/, 'llm-sim to listen');
  return { child, url: url! };
}

/** `count` processes that keep one core busy each, so a run measures a loaded host. */
export function startCpuBurners(count: number): BenchChild[] {
  return Array.from({ length: count }, () => watch(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: ['ignore', 'ignore', 'inherit'] })));
}

/** Waits until the child's stdout matches `pattern` (or it exits, or the time is up). */
export function outputOf(child: BenchChild, pattern: RegExp, what: string, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const found = new Promise<RegExpMatchArray>((resolve, reject) => {
    const check = (): void => {
      const match = pattern.exec(child.stdout());
      if (!match) return;
      cleanup();
      resolve(match);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error(`${what}: the process exited first`));
    };
    const cleanup = (): void => {
      child.process.stdout?.off('data', check);
      child.process.off('close', onClose);
    };
    child.process.stdout?.on('data', check);
    child.process.once('close', onClose);
    check();
  });
  return withTimeout(found, timeoutMs, what);
}

export async function stopAll(children: readonly BenchChild[], signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  for (const child of children) if (child.process.exitCode === null) child.process.kill(signal);
  await Promise.all(children.map((child) => child.exited));
}
