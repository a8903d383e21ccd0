/** Counters of one netns from /proc/PID/net/stat/nf_conntrack (hex columns, one row per CPU). */
export interface ConntrackStat {
  /** Entries of this netns (the same number on every CPU row). */
  readonly entries: number;
  /** Per-CPU counters summed: `drop`, `early_drop`, `insert_failed`… keyed by the header's column names. */
  readonly counters: Readonly<Record<string, number>>;
}

const HEX = /^[0-9a-f]{1,16}$/i;

/** Parses the stat file; null when it has no data row or no `entries` column. */
export function parseConntrackStat(text: string): ConntrackStat | null {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0]?.trim().split(/\s+/) ?? [];
  const entriesColumn = header.indexOf('entries');
  if (entriesColumn < 0 || lines.length < 2) return null;
  const counters: Record<string, number> = {};
  let entries: number | null = null;
  for (const line of lines.slice(1)) {
    const words = line.trim().split(/\s+/);
    if (words.length !== header.length || words.some((word) => !HEX.test(word))) return null;
    const cells = words.map((word) => Number.parseInt(word, 16));
    entries ??= cells[entriesColumn] ?? null;
    header.forEach((name, i) => {
      if (i !== entriesColumn) counters[name] = (counters[name] ?? 0) + (cells[i] ?? 0);
    });
  }
  return entries === null ? null : { entries, counters };
}
