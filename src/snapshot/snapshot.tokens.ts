export const COLLECTORS = Symbol('COLLECTORS');
export const SNAPSHOT_SETTINGS = Symbol('SNAPSHOT_SETTINGS');
export const DOCKER_CLIENT = Symbol('DOCKER_CLIENT');
export const CRI_CLIENT = Symbol('CRI_CLIENT');

export interface SnapshotSettings {
  readonly procRoot: string;
  readonly netnsDir: string;
  /** Where the boot configuration (`etc/sysctl.d`…) is read from: `/`, or a mount of the host's files. */
  readonly sysctlConfRoot: string;
  readonly podLogRoot: string;
  readonly intervalSeconds: number;
  readonly namespaceReadTimeoutMs: number;
  readonly namespaceReadConcurrency: number;
  /** Non-host sets read in full per snapshot; 0: all (choose-full-reads.ts). */
  readonly fullReadsPerSnapshot: number;
}
