// CPU time of this process, of its children that have exited (ffmpeg sources), and of a live process tree, for `cpu_cores_used`.
import { readdirSync, readFileSync } from 'node:fs';

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

export interface ProcessStat {
  pid: number;
  ppid: number;
  ticks: number;
}

/** Every process's parent and CPU ticks, read once for all the trees of one sample. */
export function processTable(): ProcessStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // The command name may contain spaces: count fields after its closing parenthesis.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return [{ pid: Number(name), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }]; // utime, stime
      } catch {
        return []; // exited while we looked
      }
    });
}

/** CPU seconds of a running process and all its live descendants (a browser's renderer, a camera's ffmpeg); null when it is not running. */
export function treeCpuSeconds(table: readonly ProcessStat[], rootPid: number): number | null {
  if (!table.some((stat) => stat.pid === rootPid)) return null;
  const tree = new Set([rootPid]);
  // Parents are listed before most children but not always: repeat until nothing joins.
  for (let grown = true; grown; ) {
    grown = false;
    for (const stat of table) {
      if (tree.has(stat.pid) || !tree.has(stat.ppid)) continue;
      tree.add(stat.pid);
      grown = true;
    }
  }
  return table.filter((stat) => tree.has(stat.pid)).reduce((sum, stat) => sum + stat.ticks, 0) / 100; // USER_HZ
}

export function processTreeCpuSeconds(rootPid: number): number | null {
  try {
    return treeCpuSeconds(processTable(), rootPid);
  } catch {
    return null;
  }
}
