/** The global counters of one neighbour table, from /proc/net/stat/arp_cache (hex, one row per CPU). */
export interface NeighbourStat {
  /** Entries of the table across every netns (the same number on each CPU row). */
  readonly entries: number;
  /** Times an allocation found the table full, summed over CPUs; null when the column is absent. */
  readonly tableFulls: number | null;
}

/** Parses the stat file; null when it has no `entries` column or no well-formed data row. */
export function parseNeighbourStat(text: string): NeighbourStat | null {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0]?.trim().split(/\s+/) ?? [];
  const entriesAt = header.indexOf('entries');
  const fullsAt = header.indexOf('table_fulls');
  if (entriesAt < 0 || lines.length < 2) return null;
  let entries: number | null = null;
  let tableFulls: number | null = fullsAt < 0 ? null : 0;
  for (const line of lines.slice(1)) {
    const cells = line.trim().split(/\s+/);
    if (cells.length !== header.length || cells.some((c) => !/^[0-9a-fA-F]+$/.test(c))) return null;
    const values = cells.map((c) => Number.parseInt(c, 16));
    entries ??= values[entriesAt] ?? null;
    if (tableFulls !== null) tableFulls += values[fullsAt] ?? 0;
  }
  return entries === null ? null : { entries, tableFulls };
}
