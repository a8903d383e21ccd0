import type { PortRange } from './parse-limit-value.js';

/** One socket row of /proc/PID/net/{tcp,tcp6,udp,udp6}. */
export interface SocketRow {
  readonly localPort: number;
  /** Kernel state number (`st` column, hex): 0x0A LISTEN, 0x06 TIME_WAIT, 0x07 CLOSE… */
  readonly state: number;
}

/** `  0: 0100007F:15B3 00000000:0000 0A …` → local address:port (hex), remote, state (hex). */
const ROW = /^\s*\d+:\s+[0-9A-Fa-f]+:([0-9A-Fa-f]{4})\s+[0-9A-Fa-f]+:[0-9A-Fa-f]{4}\s+([0-9A-Fa-f]{2})\s/;

/**
 * Parses one socket table (header line, then one row per socket; IPv4 and IPv6 layouts differ only in the
 * address width). Lines that are not socket rows are ignored.
 */
export function parseSocketTable(text: string): SocketRow[] {
  const rows: SocketRow[] = [];
  for (const line of text.split('\n')) {
    const match = ROW.exec(line);
    if (!match?.[1] || !match[2]) continue;
    rows.push({ localPort: Number.parseInt(match[1], 16), state: Number.parseInt(match[2], 16) });
  }
  return rows;
}

/**
 * Sockets whose local port lies in the ephemeral range, in every state (TIME_WAIT and listeners included): what
 * competes for the range. A port reused toward distinct destinations counts once per socket, so the count can
 * exceed the range size without exhaustion for connect(); bind(port 0) exhausts at the range size.
 */
export function countPortsInRange(tables: readonly string[], range: PortRange): number {
  let count = 0;
  for (const table of tables) {
    for (const row of parseSocketTable(table)) {
      if (row.localPort >= range.low && row.localPort <= range.high) count += 1;
    }
  }
  return count;
}
