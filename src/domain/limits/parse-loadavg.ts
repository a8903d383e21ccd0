/** /proc/loadavg: `2.99 2.50 1.98 2/145 31422`. */
export interface Loadavg {
  readonly runnable: number;
  /** Field 4 after the slash: every thread on the system (nr_threads, what kernel.threads-max bounds). */
  readonly threads: number;
  /** Field 5: the last PID allocated in the reader's PID namespace. */
  readonly lastPid: number;
}

const LOADAVG = /^\s*[\d.]+\s+[\d.]+\s+[\d.]+\s+(\d+)\/(\d+)\s+(\d+)\s*$/;

export function parseLoadavg(text: string): Loadavg | null {
  const match = LOADAVG.exec(text);
  if (!match) return null;
  return { runnable: Number(match[1]), threads: Number(match[2]), lastPid: Number(match[3]) };
}
