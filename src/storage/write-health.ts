/** What /health, /metrics and the logs say about the agent's writes. */
export interface StorageWriteStatus {
  /** False from a failed write (or a refused one: file gone, lock held too long) until the next commit. */
  readonly writable: boolean;
  /** Why writes fail, as SQLite or the agent said it; null while writable. */
  readonly reason: string | null;
  readonly failingSince: string | null;
  readonly consecutiveFailures: number;
  readonly lastCommitAt: string | null;
  /** Since when a write has been waiting for another process to release the database's write lock. */
  readonly waitingForLockSince: string | null;
}

/** A write that waits longer than this for another process's lock makes the agent unhealthy. */
export const LOCK_WAIT_UNHEALTHY_MS = 5000;

/**
 * The outcome of the agent's writes, owned by storage: every write transaction reports here. One failed
 * write makes storage unwritable; the next commit makes it writable again.
 */
export class StorageWriteHealth {
  private failure: { reason: string; since: number; count: number } | null = null;
  private lastCommitAt: number | null = null;
  private lockWaitSince: number | null = null;

  committed(at: number): { recoveredFrom: { reason: string; since: number; count: number } | null } {
    const recoveredFrom = this.failure;
    this.failure = null;
    this.lastCommitAt = at;
    return { recoveredFrom };
  }

  /** Returns true when this failure starts an outage (the previous write succeeded). */
  failed(reason: string, at: number): boolean {
    if (this.failure) {
      this.failure = { reason, since: this.failure.since, count: this.failure.count + 1 };
      return false;
    }
    this.failure = { reason, since: at, count: 1 };
    return true;
  }

  /** The outage in progress (from the first failed write), or null while writes succeed. */
  outage(): { readonly reason: string; readonly since: number; readonly count: number } | null {
    return this.failure;
  }

  waitingForLock(since: number | null): void {
    this.lockWaitSince = since;
  }

  /** Why writes are not healthy at `now`, or null. */
  problem(now: number): string | null {
    if (this.failure) return this.failure.reason;
    if (this.lockWaitSince !== null && now - this.lockWaitSince >= LOCK_WAIT_UNHEALTHY_MS) {
      const seconds = Math.round((now - this.lockWaitSince) / 1000);
      return `another process has held the database write lock for ${seconds} s`;
    }
    return null;
  }

  status(): StorageWriteStatus {
    const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
    return {
      writable: this.failure === null,
      reason: this.failure?.reason ?? null,
      failingSince: iso(this.failure?.since ?? null),
      consecutiveFailures: this.failure?.count ?? 0,
      lastCommitAt: iso(this.lastCommitAt),
      waitingForLockSince: iso(this.lockWaitSince),
    };
  }
}
