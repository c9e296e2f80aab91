// Runs the real `tcr` binary as a child process, the way operators and scripts run it.
import { spawn } from 'node:child_process';

export interface TcrRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const repoRoot = new URL('../../', import.meta.url).pathname;
export const tcrBin = new URL('../../bin/tcr.js', import.meta.url).pathname;

export function runTcr(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<TcrRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tcrBin, ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
