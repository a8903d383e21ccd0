import { Injectable } from '@nestjs/common';

/**
 * One writer at a time. The agent holds a single SQLite connection; two async flows each opening a
 * transaction on it (a snapshot and a kernel-log batch, say) would interleave their statements. Every
 * write transaction runs through `exclusive`, in arrival order.
 */
@Injectable()
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
