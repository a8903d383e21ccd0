import type { SysctlReading } from './sysctl-types.js';

/** One map per readings array: a snapshot asks for the host's ~16,000 values several times (see below). */
const valuesOf = new WeakMap<readonly SysctlReading[], ReadonlyMap<string, string>>();

/**
 * The readable values of a set's readings, keyed by sysctl name (the input of usage pairing). Readings arrays
 * are never changed once made (a changed read is a new array), so the map is built once for each: planning,
 * boot-config drift and the metrics all read the host's, which on a 110-pod node is ~16,000 keys.
 */
export function readingValues(readings: readonly SysctlReading[]): ReadonlyMap<string, string> {
  let values = valuesOf.get(readings);
  if (values === undefined) {
    const map = new Map<string, string>();
    for (const r of readings) if (r.value !== null) map.set(r.key, r.value);
    values = map;
    valuesOf.set(readings, values);
  }
  return values;
}
