import type { SysctlReading } from './sysctl-types.js';

/** The readable values of a set's readings, keyed by sysctl name (the input of usage pairing). */
export function readingValues(readings: readonly SysctlReading[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const r of readings) if (r.value !== null) values.set(r.key, r.value);
  return values;
}
