import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { RetentionJob } from './retention.job.js';
import { RETENTION_SETTINGS, type RetentionSettings } from './retention-settings.js';

/** The first pass waits this long (or one interval, if shorter) so that it never competes with start-up. */
export const FIRST_PASS_DELAY_MS = 60_000;

const FIRST_PASS = 'retention-first-pass';
const INTERVAL_NAME = 'retention';

/**
 * Runs a retention pass a minute after start, then every RETENTION_INTERVAL_MINUTES; only calls the job. A
 * tick that finds the previous pass still running is skipped. Timers are registered with SchedulerRegistry,
 * like the snapshot and kernel-log ones.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionScheduler.name);
  private running = false;

  constructor(
    private readonly job: RetentionJob,
    private readonly registry: SchedulerRegistry,
    @Inject(RETENTION_SETTINGS) private readonly settings: RetentionSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.enabled) return;
    const intervalMs = this.settings.intervalMinutes * 60_000;
    const first = setTimeout(
      () => {
        this.registry.deleteTimeout(FIRST_PASS);
        void this.tick();
        const every = setInterval(() => void this.tick(), intervalMs);
        every.unref();
        this.registry.addInterval(INTERVAL_NAME, every);
      },
      Math.min(FIRST_PASS_DELAY_MS, intervalMs),
    );
    first.unref();
    this.registry.addTimeout(FIRST_PASS, first);
  }

  onApplicationShutdown(): void {
    if (this.registry.doesExist('timeout', FIRST_PASS)) this.registry.deleteTimeout(FIRST_PASS);
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.job.run();
    } catch (error) {
      this.logger.error(`retention pass failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }
}
