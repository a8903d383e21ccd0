/** Counters of /proc/PID/net/netstat (or snmp): `TcpExt.ListenOverflows` → value. */
export type NetstatCounters = ReadonlyMap<string, number>;

/**
 * The file alternates a header line (`TcpExt: SyncookiesSent …`) and a value line with the same prefix; each
 * pair becomes `<Prefix>.<Name>` entries. A pair whose lengths differ is skipped.
 *
 * `only`: just these counters (`TcpExt.ListenOverflows`…). A collector reads a handful of the ~200 counters of
 * each netns at every snapshot, so only the line pairs of their groups are split, found without cutting the
 * file into lines (a 110-pod node's snapshot otherwise made ~8 MB of garbage here, measured with V8's
 * sampling heap profiler).
 */
export function parseNetstat(text: string, only?: ReadonlySet<string>): NetstatCounters {
  const counters = new Map<string, number>();
  const groups =
    only === undefined ? null : new Set([...only].map((name) => name.slice(0, name.indexOf('.'))));
  let header: string | null = null;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const colon = text.indexOf(':', start);
    if (colon !== -1 && colon < end) {
      if (header === null) {
        const wanted = groups === null || groups.has(text.slice(start, colon).trim());
        header = wanted ? text.slice(start, end) : '';
      } else {
        if (header !== '') addPair(counters, header, text.slice(start, end), only);
        header = null;
      }
    }
    start = end + 1;
  }
  return counters;
}

function addPair(
  counters: Map<string, number>,
  header: string,
  valueLine: string,
  only: ReadonlySet<string> | undefined,
): void {
  const [prefix, ...names] = header.trim().split(/\s+/);
  const [valuePrefix, ...values] = valueLine.trim().split(/\s+/);
  if (!prefix || prefix !== valuePrefix || names.length !== values.length) return;
  const group = prefix.slice(0, -1);
  names.forEach((name, index) => {
    const value = values[index];
    const counter = `${group}.${name}`;
    if (only !== undefined && !only.has(counter)) return;
    if (value !== undefined && /^\d+$/.test(value)) counters.set(counter, Number(value));
  });
}
