export interface SplitRecords {
  /** Complete record texts (header line plus its continuation lines). */
  readonly records: readonly string[];
  /** Text after the last newline, to prepend to the next read (only a regular file cuts records). */
  readonly rest: string;
}

/**
 * Splits text read from /dev/kmsg into records. One read() of the device returns exactly one record, but a
 * regular file (a saved capture, a test double) returns many per read and may cut the last one. A line
 * starting with a space continues the record before it; a continuation line with no record before it (cut
 * off by an earlier read) is dropped.
 */
export function splitKmsgRecords(text: string): SplitRecords {
  const end = text.lastIndexOf('\n');
  const complete = end < 0 ? '' : text.slice(0, end);
  const rest = end < 0 ? text : text.slice(end + 1);
  const records: string[] = [];
  let current: string[] | null = null;
  for (const line of complete === '' ? [] : complete.split('\n')) {
    if (line.startsWith(' ')) {
      current?.push(line);
      continue;
    }
    if (current) records.push(current.join('\n'));
    current = line === '' ? null : [line];
  }
  if (current) records.push(current.join('\n'));
  return { records, rest };
}
