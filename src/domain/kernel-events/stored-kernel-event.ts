/** A kernel_events row as committed: what the kernel-events.stored event carries. */
export interface StoredKernelEvent {
  readonly id: number;
  /** True when the row was inserted by this batch, false when an open burst grew. */
  readonly created: boolean;
  readonly signature: string;
  readonly key: string;
  readonly namespaceId: number | null;
  readonly netInode: number | null;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly count: number;
  readonly suppressed: number;
  readonly sampleLine: string;
  readonly firstSeq: number;
  readonly lastSeq: number;
}
