import { DEFAULT_BUNDLE_LIMITS, type BundleLimits } from '../../domain/baselines/bundle-types.js';

/** Caps on an imported bundle; overridable (tests, or an env variable once the lead wires one). */
export const BUNDLE_LIMITS = Symbol('BUNDLE_LIMITS');

export const bundleLimitsProvider = {
  provide: BUNDLE_LIMITS,
  useValue: DEFAULT_BUNDLE_LIMITS satisfies BundleLimits,
};
