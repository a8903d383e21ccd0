import type { BaselineDifference } from '../../domain/baselines/diff-against-baseline.js';
import type { KernelReleaseCallout } from '../../domain/baselines/compare-classifications.js';
import type { Bundle } from '../../domain/baselines/bundle-types.js';

export interface BaselineSummary {
  name: string;
  importedAt: string;
  hostname: string | null;
  kernelRelease: string | null;
  /** The instant the bundle pictures. */
  at: string;
  /** Keys valued in the baseline's host namespace set. */
  keys: number;
  /** Other namespace sets in the bundle (0 unless it was exported with namespaces=all). */
  namespaces: number;
}

export interface BaselineImported extends BaselineSummary {
  /** True when `replace=true` overwrote a baseline of the same name. */
  replaced: boolean;
}

export interface BaselineDetail extends BaselineSummary {
  bundle: Bundle;
}

export interface BaselineDiffResult {
  baseline: { name: string; hostname: string | null; kernelRelease: string | null; at: string };
  here: { hostname: string | null; kernelRelease: string | null; at: string };
  scope: string | null;
  kernelRelease: KernelReleaseCallout;
  count: number;
  /** Global and mirrored keys first, then namespaced ones; by key within each group. */
  entries: BaselineDifference[];
}
