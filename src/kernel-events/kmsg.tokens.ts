export const KMSG_SETTINGS = Symbol('KMSG_SETTINGS');

export interface KmsgSettings {
  /** The kernel log device (a regular file holding records also works, for tests). */
  readonly path: string;
  /** procfs root: boot_id, uptime, osrelease and init's net namespace are read below it. */
  readonly procRoot: string;
  /** How often the device is drained. */
  readonly pollIntervalMs: number;
  /** A burst of one signature ends after this long without a line. */
  readonly quietGapMs: number;
  /** read() calls per poll at most (one record each); the rest waits for the next poll. 20 000. */
  readonly maxReadsPerPoll: number;
}

/** What /health shows about the kernel log follower. */
export interface KmsgStatus {
  readonly readable: boolean;
  /** Why it is not readable, or the last read error; null when all is well. */
  readonly message: string | null;
  /** Sequence number of the last record handled this boot; null before the first drain. */
  readonly lastSeq: number | null;
}
