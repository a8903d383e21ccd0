/** `TCP: inuse 1 orphan 0 tw 0 alloc 1 mem 186` → { inuse: 1, …, mem: 186 }, per protocol line. */
export type Sockstat = ReadonlyMap<string, Readonly<Record<string, number>>>;

/** Parses /proc/PID/net/sockstat into protocol → field → number; malformed pairs are skipped. */
export function parseSockstat(text: string): Sockstat {
  const protocols = new Map<string, Record<string, number>>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const words = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    const fields: Record<string, number> = {};
    for (let i = 0; i + 1 < words.length; i += 2) {
      const name = words[i];
      const value = words[i + 1];
      if (name && value && /^\d+$/.test(value)) fields[name] = Number(value);
    }
    protocols.set(line.slice(0, colon).trim(), fields);
  }
  return protocols;
}

/** Pages allocated to TCP (global: the same in every netns view), or null when the line is missing. */
export function tcpMemoryPages(text: string): number | null {
  return parseSockstat(text).get('TCP')?.['mem'] ?? null;
}

export type SocketTable = 'tcp' | 'tcp6' | 'udp' | 'udp6';

/**
 * The socket tables of a netns that may list a socket, from its sockstat and sockstat6 (per-netns counts, O(1)
 * to read): /proc/PID/net/tcp is built by walking the kernel's global TCP hash (every bucket, whatever the netns
 * holds: ~1.5 ms per file here), so a table whose count is 0 is not worth reading. TCP and TCP6 need their
 * `inuse` (hashed sockets: listening, connecting, established, orphaned) and the netns's `tw` (TIME_WAIT, both
 * families) at 0; UDP and UDP6 their `inuse`. A file, line or field that is missing keeps the table (read it).
 */
export function socketTablesToRead(sockstat: string | null, sockstat6: string | null): Set<SocketTable> {
  const v4 = sockstat === null ? null : parseSockstat(sockstat);
  const v6 = sockstat6 === null ? null : parseSockstat(sockstat6);
  const empty = (stat: Sockstat | null, protocol: string, field: string): boolean =>
    stat?.get(protocol)?.[field] === 0;
  const noTimeWait = empty(v4, 'TCP', 'tw');
  const tables = new Set<SocketTable>();
  if (!(empty(v4, 'TCP', 'inuse') && noTimeWait)) tables.add('tcp');
  if (!(empty(v6, 'TCP6', 'inuse') && noTimeWait)) tables.add('tcp6');
  if (!empty(v4, 'UDP', 'inuse')) tables.add('udp');
  if (!empty(v6, 'UDP6', 'inuse')) tables.add('udp6');
  return tables;
}
