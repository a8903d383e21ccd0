import type { ChildVisibility, Scope } from '../sysctl/sysctl-types.js';
import type { KeyClass } from './diff-against-baseline.js';

export interface ClassificationDifference {
  readonly key: string;
  readonly here: { readonly scope: Scope; readonly childVisibility: ChildVisibility | null };
  readonly baseline: { readonly scope: Scope; readonly childVisibility: ChildVisibility | null };
}

export interface KernelReleaseCallout {
  readonly here: string | null;
  readonly baseline: string | null;
  /** True when both releases are known and differ. */
  readonly differs: boolean;
  /** A sentence for the operator; null when the releases match and no key is classified differently. */
  readonly note: string | null;
  /** Keys both sides know whose scope or child visibility differ, by key. */
  readonly classificationDifferences: readonly ClassificationDifference[];
}

/** Keys classified differently by this host's catalog and the baseline's (kernels differ, or probes did). */
export function compareClassifications(
  here: ReadonlyMap<string, KeyClass>,
  baseline: ReadonlyMap<string, KeyClass>,
): ClassificationDifference[] {
  const differences: ClassificationDifference[] = [];
  for (const [key, theirs] of baseline) {
    const ours = here.get(key);
    if (!ours || (ours.scope === theirs.scope && ours.childVisibility === theirs.childVisibility)) continue;
    differences.push({
      key,
      here: { scope: ours.scope, childVisibility: ours.childVisibility },
      baseline: { scope: theirs.scope, childVisibility: theirs.childVisibility },
    });
  }
  return differences.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The kernel-release block of a baseline diff. */
export function kernelReleaseCallout(
  here: string | null,
  baseline: string | null,
  differences: readonly ClassificationDifference[],
): KernelReleaseCallout {
  const differs = here !== null && baseline !== null && here !== baseline;
  const classified =
    differences.length === 0
      ? 'no key both know is classified differently'
      : `${differences.length} key(s) are classified differently (scope or child visibility), listed here`;
  let note: string | null = null;
  if (differs) {
    note = `this host runs Linux ${here}, the baseline was exported from Linux ${baseline}: defaults and classification can differ between kernels; ${classified}`;
  } else if (here === null || baseline === null) {
    note = `the kernel release is unknown on ${here === null ? 'this host' : 'the baseline'}; ${classified}`;
  } else if (differences.length > 0) {
    note = `same kernel release, but ${classified}`;
  }
  return { here, baseline, differs, note, classificationDifferences: differences };
}
