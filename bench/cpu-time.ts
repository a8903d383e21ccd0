import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/**
 * CPU time of a process in ms from `/proc/PID/stat`: its own (utime + stime) and that of its children it has
 * waited for (cutime + cstime: the `nsenter … grep` helpers of a snapshot). Kernel accounting in clock ticks
 * (10 ms at 100 Hz), so a difference is exact to a tick or two.
 */
export function cpuTimeMs(pid: number | 'self'): { own: number; children: number; total: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), from field 3 on: utime is field 14.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const tick = 1000 / clockTicks();
  const field = (n: number): number => Number(fields[n - 3] ?? Number.NaN) * tick;
  const own = field(14) + field(15);
  const children = field(16) + field(17);
  return { own, children, total: own + children };
}
