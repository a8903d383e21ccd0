import type { ResolvedBootConfig } from './resolve-configured-values.js';
import type { ConfSource } from './sysctl-conf-types.js';

/** A key whose runtime value is not what the boot configuration would set, or that this kernel does not have. */
export interface ConfigDrift {
  readonly key: string;
  /** null when the kernel has no such key (the line never applied). */
  readonly runtime: string | null;
  readonly configured: string;
  readonly source: ConfSource;
  readonly glob: string | null;
  readonly kind: 'differs' | 'unknown-key';
}

/**
 * The kernel reads back multi-field values with tabs (`4096\t131072\t6291456`) whatever separator was written,
 * and trims them: values compare equal when their whitespace-separated fields are equal.
 */
export function sameSysctlValue(runtime: string, configured: string): boolean {
  const fields = (v: string): string => v.trim().split(/\s+/).join(' ');
  return fields(runtime) === fields(configured);
}

/**
 * Drift between what the boot configuration would set and the runtime values of the same keys (`runtime` holds
 * only readable keys). Keys that are configured but unknown to this kernel are drift too: the setting silently
 * never applied. Ordered by key.
 */
export function findConfigDrift(
  config: ResolvedBootConfig,
  runtime: ReadonlyMap<string, string>,
): ConfigDrift[] {
  const drift: ConfigDrift[] = [];
  for (const c of config.values.values()) {
    const value = runtime.get(c.key);
    if (value === undefined || sameSysctlValue(value, c.value)) continue;
    drift.push({
      key: c.key,
      runtime: value,
      configured: c.value,
      source: c.source,
      glob: c.glob,
      kind: 'differs',
    });
  }
  for (const a of config.unknown) {
    drift.push({
      key: a.key,
      runtime: null,
      configured: a.value ?? '',
      source: a.source,
      glob: null,
      kind: 'unknown-key',
    });
  }
  return drift.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
