import type { ValueState } from '../history/diff-value-maps.js';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  type Bundle,
  type BundleClassification,
  type BundleOwner,
} from './bundle-types.js';

/** Keys the host facts come from. */
export const HOSTNAME_KEY = 'kernel.hostname';
export const KERNEL_RELEASE_KEY = 'kernel.osrelease';
export const BOOT_ID_KEY = 'kernel.random.boot_id';

export interface NamespaceState {
  readonly identity: string;
  readonly kind: string;
  readonly owners: readonly BundleOwner[];
  readonly values: ValueState;
}

export interface BundleInput {
  readonly exportedAt: number;
  readonly at: number;
  readonly catalog: ReadonlyMap<string, BundleClassification>;
  readonly host: ValueState;
  /** Undefined when only the host set is exported. */
  readonly namespaces?: readonly NamespaceState[];
}

/**
 * The export bundle of one instant: host facts from the host's own recorded values, the classification of
 * every key that has a value anywhere in the bundle, values sorted by key so two exports of one state are
 * byte-identical.
 */
export function composeBundle(input: BundleInput): Bundle {
  const valued = new Set(input.host.keys());
  for (const set of input.namespaces ?? []) for (const key of set.values.keys()) valued.add(key);
  const classification = [...valued].sort().flatMap((key): [string, BundleClassification][] => {
    const entry = input.catalog.get(key);
    return entry ? [[key, entry]] : [];
  });
  const known = new Set(classification.map(([key]) => key));
  const fact = (key: string): string | null => input.host.get(key)?.trim() || null;
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    exportedAt: new Date(input.exportedAt).toISOString(),
    at: new Date(input.at).toISOString(),
    host: {
      hostname: fact(HOSTNAME_KEY),
      kernelRelease: fact(KERNEL_RELEASE_KEY),
      bootId: fact(BOOT_ID_KEY),
    },
    classification: Object.fromEntries(classification),
    values: sortedValues(input.host, known),
    ...(input.namespaces === undefined
      ? {}
      : {
          namespaces: input.namespaces.map((set) => ({
            identity: set.identity,
            kind: set.kind,
            owners: set.owners,
            values: sortedValues(set.values, known),
          })),
        }),
  };
}

function sortedValues(state: ValueState, known: ReadonlySet<string>): Record<string, string | null> {
  return Object.fromEntries(
    [...state].filter(([key]) => known.has(key)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
