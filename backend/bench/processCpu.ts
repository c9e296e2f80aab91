// CPU time of this process and of its children that have exited (ffmpeg sources), for `cpu_cores_used`.
import { readFileSync } from 'node:fs';

export interface CpuSeconds {
  self: number;
  /** Children already waited for; null where /proc is not available (not Linux). */
  children: number | null;
}

export function cpuSeconds(): CpuSeconds {
  const usage = process.cpuUsage();
  return { self: (usage.user + usage.system) / 1e6, children: childrenCpuSeconds() };
}

function childrenCpuSeconds(): number | null {
  try {
    // /proc/self/stat: the command name may contain spaces, so count fields after its closing parenthesis.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticksPerSecond = 100; // USER_HZ is 100 on every Linux ABI Node supports
    return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond; // cutime, cstime (fields 16, 17 of stat)
  } catch {
    return null;
  }
}
