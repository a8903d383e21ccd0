import { parseSysctlDump } from '../sysctl/parse-sysctl-dump.js';

/** The record that separates the mode listing from the values in the probe child's output. */
export const CHILD_VALUES_MARKER = '=values';

export interface ChildListing {
  /** key → permission bits of every file in the fresh child. */
  readonly modes: Map<string, number>;
  /** key → value of every readable key its net/ipc/uts namespaces own: what a new namespace starts with. */
  readonly values: Map<string, string>;
}

/**
 * Splits the probe child's stdout (src/os/kernel-probe.ts): NUL-terminated `find` records `<mode> <path>`, the
 * marker record, then the dumper's `<path>\0<content>\0` pairs. A find record always starts with octal digits,
 * so the first `=values` record is the marker. No marker means the child stopped before its second pass.
 */
export function splitChildListing(
  stdout: string,
  sysRoot: string,
  parseModes: (text: string) => Map<string, number>,
): ChildListing {
  const marker = `${CHILD_VALUES_MARKER}\0`;
  const at = stdout.startsWith(marker) ? 0 : stdout.indexOf(`\0${marker}`) + 1;
  if (at === 0 && !stdout.startsWith(marker)) {
    throw new Error('the child listing has no values part (the second pass did not run)');
  }
  const modes = parseModes(stdout.slice(0, at));
  const values = new Map<string, string>();
  for (const reading of parseSysctlDump({ sysRoot, stdout: stdout.slice(at + marker.length), stderr: '' })) {
    if (reading.access === 'readable' && reading.value !== null) values.set(reading.key, reading.value);
  }
  return { modes, values };
}
