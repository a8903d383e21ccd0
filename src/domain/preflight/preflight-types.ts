import type { Scope } from '../sysctl/sysctl-types.js';

/**
 * The runtime a container is started with:
 * - `docker`: `docker run --sysctl` (the Docker CLI refuses keys outside its allowlist before the daemon sees them);
 * - `compose`: the Engine API as Docker Compose and the SDKs call it (no CLI allowlist; runc's validator decides);
 * - `kubernetes`: the kubelet's sysctl admission, then the container runtime (runc).
 */
export type PreflightRuntime = 'docker' | 'compose' | 'kubernetes';
export const PREFLIGHT_RUNTIMES: readonly PreflightRuntime[] = ['docker', 'compose', 'kubernetes'];

export type NamespaceMode = 'private' | 'host';
export const NAMESPACE_MODES: readonly NamespaceMode[] = ['private', 'host'];

/** What a preflight is asked about: the sysctls and how the container's namespaces are configured. */
export interface PreflightRequest {
  readonly sysctls: ReadonlyMap<string, string>;
  readonly network: NamespaceMode;
  readonly ipc: NamespaceMode;
  readonly runtime: PreflightRuntime;
}

/** What the database knows of one key on this kernel (src/storage/preflight.repository.ts). */
export interface KeyFacts {
  /** The host lists the key (it is in the catalog). */
  readonly onHost: boolean;
  readonly scope: Scope | null;
  /**
   * Permission bits of the key in a fresh `unshare --net --ipc --uts` child, null when the probe saw no such
   * file there (absent in a new namespace), undefined when no probe result is stored.
   */
  readonly childMode: number | null | undefined;
  readonly hostValue: string | null;
  readonly childValue: string | null;
}

/** The probe's view of this kernel, for keys the request names. */
export interface KernelFacts {
  readonly kernelRelease: string | null;
  /** False when no probe result is stored: visibility then comes from the catalog's classification alone. */
  readonly probed: boolean;
  readonly keys: ReadonlyMap<string, KeyFacts>;
  /** Catalog classification of keys (fallback without a probe): child visibility by key. */
  readonly catalogVisibility: ReadonlyMap<string, string | null>;
}

export type Verdict = 'ok' | 'rejected';
export type KubeletClass = 'safe' | 'unsafe' | 'forbidden';

/** Where a rejection happens, in the order a start goes through them. */
export type RejectionStage = 'cli' | 'kubelet' | 'runtime-validation' | 'container-init';

export interface PreflightItem {
  readonly key: string;
  readonly value: string;
  readonly verdict: Verdict;
  /** Null when accepted; otherwise the refusal in the engine's own words. */
  readonly reason: string | null;
  readonly stage: RejectionStage | null;
  readonly kubelet: KubeletClass;
  readonly notes: string[];
}
