/** An inclusive port range, `net.ipv4.ip_local_port_range` ("32768\t60999"). */
export interface PortRange {
  readonly low: number;
  readonly high: number;
}

const WHOLE = /^\d+$/;

function fields(raw: string): string[] {
  const text = raw.trim();
  return text === '' ? [] : text.split(/\s+/);
}

function whole(text: string | undefined): number | null {
  if (text === undefined || !WHOLE.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** Parses `ip_local_port_range`; null unless two whole numbers with low <= high. */
export function parsePortRange(raw: string): PortRange | null {
  const parts = fields(raw);
  if (parts.length !== 2) return null;
  const [low, high] = parts.map(whole);
  if (low === null || high === null || low === undefined || high === undefined || low > high) return null;
  return { low, high };
}

/** How each limit key's value reads as one number; keys not listed hold a single whole number. */
const LIMIT_READERS: Readonly<Record<string, (raw: string) => number | null>> = {
  /** "min pressure max" in pages: allocations fail above max. */
  'net.ipv4.tcp_mem': (raw) => nthField(raw, 2, 3),
  'net.ipv4.udp_mem': (raw) => nthField(raw, 2, 3),
  /** The number of ports in the range, both ends included. */
  'net.ipv4.ip_local_port_range': (raw) => {
    const range = parsePortRange(raw);
    return range === null ? null : range.high - range.low + 1;
  },
  /** "SEMMSL SEMMNS SEMOPM SEMMNI": the 4th field bounds the number of semaphore sets. */
  'kernel.sem': (raw) => nthField(raw, 3, 4),
};

function nthField(raw: string, index: number, count: number): number | null {
  const parts = fields(raw);
  return parts.length === count ? whole(parts[index]) : null;
}

/**
 * The number a limit key's value stands for (tcp_mem → its 3rd field, ip_local_port_range → hi − lo + 1,
 * kernel.sem → its 4th field, any other key → the value as one whole number). Null for anything malformed;
 * never throws.
 */
export function parseLimitValue(key: string, raw: string | null | undefined): number | null {
  if (raw === null || raw === undefined) return null;
  const reader = LIMIT_READERS[key];
  if (reader) return reader(raw);
  const parts = fields(raw);
  return parts.length === 1 ? whole(parts[0]) : null;
}
