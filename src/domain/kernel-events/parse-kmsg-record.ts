/** One record of /dev/kmsg (Documentation/ABI/testing/dev-kmsg), with escapes decoded. */
export interface KmsgRecord {
  /** Syslog facility: 0 = kernel; userspace writes to /dev/kmsg default to 1 (user). */
  readonly facility: number;
  /** Syslog level 0 (emerg) … 7 (debug). */
  readonly level: number;
  readonly seq: number;
  /** Microseconds since boot (the kernel's local clock: it does not advance during suspend). */
  readonly tsUsec: number;
  /** `-` or `c` (continuation of a fragmented line), as printed. */
  readonly flags: string;
  readonly message: string;
  /** Continuation lines ` KEY=value` (SUBSYSTEM, DEVICE …). */
  readonly properties: Readonly<Record<string, string>>;
}

const HEADER = /^(\d{1,4}),(\d{1,20}),(\d{1,20}),([^,;]*)(?:,[^;]*)?$/;

/**
 * Parses one record: `pri,seq,ts_usec,flags[,…];message` plus continuation lines starting with a space.
 * Returns null for text that is not a record. The kernel escapes `\`, control characters and bytes ≥ 127 as
 * `\xNN` (a multi-line message arrives as one line with `\x0a`); they are decoded here.
 */
export function parseKmsgRecord(text: string): KmsgRecord | null {
  const lines = text.replace(/\n$/, '').split('\n');
  const first = lines[0] ?? '';
  const split = first.indexOf(';');
  if (split < 0) return null;
  const header = HEADER.exec(first.slice(0, split));
  if (!header) return null;
  const priority = Number(header[1]);
  const seq = Number(header[2]);
  const tsUsec = Number(header[3]);
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(tsUsec)) return null;
  const properties: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    if (!line.startsWith(' ')) continue;
    const eq = line.indexOf('=');
    if (eq > 1) properties[decodeKmsgEscapes(line.slice(1, eq))] = decodeKmsgEscapes(line.slice(eq + 1));
  }
  return {
    facility: priority >> 3,
    level: priority & 7,
    seq,
    tsUsec,
    flags: header[4] ?? '',
    message: decodeKmsgEscapes(first.slice(split + 1)),
    properties,
  };
}

/** `\x09` → TAB, `\x5c` → `\`; other text is kept as is. */
export function decodeKmsgEscapes(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
