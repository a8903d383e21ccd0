import type { ChildVisibility, ClassificationSource, Scope } from '../sysctl/sysctl-types.js';

/** The format marker and version of an export bundle; a bundle of another version is refused on import. */
export const BUNDLE_FORMAT = 'kernel-ledger/bundle';
export const BUNDLE_FORMAT_VERSION = 1;

/** Facts about the exporting host, taken from its recorded values (kernel.hostname, kernel.osrelease, kernel.random.boot_id). */
export interface BundleHost {
  readonly hostname: string | null;
  readonly kernelRelease: string | null;
  readonly bootId: string | null;
}

export interface BundleClassification {
  readonly scope: Scope;
  readonly childVisibility: ChildVisibility | null;
  readonly volatile: boolean;
  readonly source: ClassificationSource;
}

export interface BundleOwner {
  readonly kind: string;
  readonly ref: string;
  readonly name: string;
  readonly image: string | null;
  readonly declaredSysctls: Readonly<Record<string, string>> | null;
}

/** A namespace set other than the host's, with its owners and its own values only. */
export interface BundleNamespace {
  readonly identity: string;
  readonly kind: string;
  readonly owners: readonly BundleOwner[];
  readonly values: Readonly<Record<string, string | null>>;
}

/** A portable picture of one instant of one host. Values: null = present but unreadable. */
export interface Bundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly formatVersion: typeof BUNDLE_FORMAT_VERSION;
  readonly exportedAt: string;
  readonly at: string;
  readonly host: BundleHost;
  /** Every key that has a value in `values` or in a namespace set's values. */
  readonly classification: Readonly<Record<string, BundleClassification>>;
  /** The host namespace set. */
  readonly values: Readonly<Record<string, string | null>>;
  /** Present when the export asked for every namespace set (`namespaces=all`). */
  readonly namespaces?: readonly BundleNamespace[];
}

/** Caps on what an imported bundle may hold (the body size itself is capped by the HTTP body parser). */
export interface BundleLimits {
  /** Keys in `classification`, and in each set's `values`. */
  readonly maxKeys: number;
  readonly maxNamespaces: number;
  readonly maxOwnersPerNamespace: number;
  /** Characters of one value (a /proc/sys file holds at most a page). */
  readonly maxValueLength: number;
}

/**
 * A Kubernetes node's host set carries about 130 keys per pod interface (`net.ipv4.conf.<veth>.*`, ipv6,
 * neigh): 110 pods measured 15,772 keys here, and nodes run up to 250 pods. The 16 MiB body cap still bounds it.
 */
export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxKeys: 100_000,
  maxNamespaces: 1_000,
  maxOwnersPerNamespace: 256,
  maxValueLength: 4_096,
};
