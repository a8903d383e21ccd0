/** Objects of one IPC namespace in /proc/sysvipc/{shm,msg,sem}. */
export interface SysvipcCounts {
  readonly shm: number | null;
  readonly msg: number | null;
  readonly sem: number | null;
}

type Kind = keyof SysvipcCounts;

/** The id column of each file's header names it: `shmid`, `msqid`, `semid`. */
const ID_COLUMNS: Readonly<Record<string, Kind>> = { shmid: 'shm', msqid: 'msg', semid: 'sem' };

/**
 * Counts rows under each header. Works on one file or on several concatenated (`cat shm msg sem`, as the
 * collector reads another IPC namespace in one exec). A kind whose header never appears is null (not read).
 */
export function countSysvipcObjects(text: string): SysvipcCounts {
  const counts: Record<Kind, number | null> = { shm: null, msg: null, sem: null };
  let current: Kind | null = null;
  for (const line of text.split('\n')) {
    const cells = line.trim().split(/\s+/);
    if (cells[0] === 'key') {
      current = ID_COLUMNS[cells[1] ?? ''] ?? null;
      if (current) counts[current] = 0;
    } else if (current && /^-?\d+$/.test(cells[0] ?? '') && cells.length > 2) {
      counts[current] = (counts[current] ?? 0) + 1;
    }
  }
  return counts;
}
