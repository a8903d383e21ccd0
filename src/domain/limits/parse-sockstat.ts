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
