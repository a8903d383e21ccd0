/** Counters of /proc/PID/net/netstat (or snmp): `TcpExt.ListenOverflows` → value. */
export type NetstatCounters = ReadonlyMap<string, number>;

/**
 * The file alternates a header line (`TcpExt: SyncookiesSent …`) and a value line with the same prefix; each
 * pair becomes `<Prefix>.<Name>` entries. A pair whose lengths differ is skipped.
 */
export function parseNetstat(text: string): NetstatCounters {
  const counters = new Map<string, number>();
  const lines = text.split('\n').filter((line) => line.includes(':'));
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [prefix, ...names] = (lines[i] ?? '').trim().split(/\s+/);
    const [valuePrefix, ...values] = (lines[i + 1] ?? '').trim().split(/\s+/);
    if (!prefix || prefix !== valuePrefix || names.length !== values.length) continue;
    const group = prefix.slice(0, -1);
    names.forEach((name, index) => {
      const value = values[index];
      if (value !== undefined && /^\d+$/.test(value)) counters.set(`${group}.${name}`, Number(value));
    });
  }
  return counters;
}
