/**
 * Field 22 of `/proc/PID/stat` (starttime, clock ticks after boot): with the pid and the boot id it names one
 * process for good, where the pid alone is reused. The command (field 2) may hold spaces and parentheses, so
 * fields are counted after its last `)`.
 */
export function parseProcessStartTicks(stat: string): number | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const fields = stat
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const value = fields[22 - 3];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

/**
 * Mount ids by mount point from `/proc/self/mountinfo` (field 1 = mount id, field 5 = mount point, octal
 * escapes such as `\040` for a space). The latest mount of a point wins, as it hides the ones below it.
 */
export function parseMountIds(mountinfo: string): Map<string, number> {
  const ids = new Map<string, number>();
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    const id = fields[0];
    const point = fields[4];
    if (id === undefined || point === undefined || !/^\d+$/.test(id)) continue;
    ids.set(
      point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))),
      Number(id),
    );
  }
  return ids;
}
