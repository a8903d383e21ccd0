import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { KmsgService } from './kernel-events/kmsg.service.js';
import { RetentionJob } from './retention/retention.job.js';
import { SnapshotService } from './snapshot/snapshot.service.js';

export const COLLECTION_PERIODS = Symbol('COLLECTION_PERIODS');

/** How often each background job runs, from SNAPSHOT_INTERVAL, KMSG_POLL_INTERVAL_MS and the retention settings. */
export interface CollectionPeriods {
  readonly snapshotMs: number;
  readonly kernelLogMs: number;
  /** null: retention is off. */
  readonly retentionMs: number | null;
}

/** The first retention pass waits this long (or one interval, if shorter) so that it never competes with start-up. */
export const FIRST_RETENTION_DELAY_MS = 60_000;

/**
 * The one scheduler of a recording agent. At start it probes the kernel, takes the first snapshot and polls the
 * kernel log; then it registers with SchedulerRegistry a snapshot tick, a kernel-log poll and a retention pass
 * (the first a minute after start). Each timer only calls its service, and a job never overlaps itself (a
 * snapshot tick that finds one running is skipped and counted; a poll or pass likewise waits its turn).
 */
@Injectable()
export class CollectionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CollectionScheduler.name);
  private retentionRunning = false;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly snapshots: SnapshotService,
    private readonly kmsg: KmsgService,
    private readonly retention: RetentionJob,
    @Inject(COLLECTION_PERIODS) private readonly periods: CollectionPeriods,
  ) {}

  onApplicationBootstrap(): void {
    this.snapshots.prepare().catch((error: unknown) => this.fail('classification at start', error));
    this.snapshots.runOnce('startup').catch((error: unknown) => this.fail('startup snapshot', error));
    this.every('snapshot', this.periods.snapshotMs, () => this.snapshots.tick());
    void this.kmsg.pollOnce();
    this.every('kmsg', this.periods.kernelLogMs, () => this.kmsg.pollOnce());
    const retentionMs = this.periods.retentionMs;
    if (retentionMs === null) return;
    const first = setTimeout(
      () => {
        this.registry.deleteTimeout('retention-first-pass');
        void this.retentionPass();
        this.every('retention', retentionMs, () => this.retentionPass()).unref();
      },
      Math.min(FIRST_RETENTION_DELAY_MS, retentionMs),
    );
    this.registry.addTimeout('retention-first-pass', first.unref());
  }

  onApplicationShutdown(): void {
    for (const name of this.registry.getTimeouts()) this.registry.deleteTimeout(name);
    for (const name of this.registry.getIntervals()) this.registry.deleteInterval(name);
  }

  private every(name: string, ms: number, job: () => Promise<unknown>): NodeJS.Timeout {
    const handle = setInterval(() => void job(), ms);
    this.registry.addInterval(name, handle);
    return handle;
  }

  private async retentionPass(): Promise<void> {
    if (this.retentionRunning) return;
    this.retentionRunning = true;
    try {
      await this.retention.run();
    } catch (error) {
      this.fail('retention pass', error);
    } finally {
      this.retentionRunning = false;
    }
  }

  private fail(what: string, error: unknown): void {
    this.logger.error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
