import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { RetentionJob } from './retention.job.js';
import { RETENTION_SETTINGS, type RetentionSettings } from './retention-settings.js';

/** The first pass waits this long (or one interval, if shorter) so that it never competes with start-up. */
export const FIRST_PASS_DELAY_MS = 60_000;

/** Runs a retention pass a minute after start, then every RETENTION_INTERVAL_MINUTES; only calls the job. */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionScheduler.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly job: RetentionJob,
    @Inject(RETENTION_SETTINGS) private readonly settings: RetentionSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.enabled) return;
    const intervalMs = this.settings.intervalMinutes * 60_000;
    const next = (delay: number): void => {
      this.timer = setTimeout(() => {
        this.job
          .run()
          .catch((error: unknown) =>
            this.logger.error(
              `retention pass failed: ${error instanceof Error ? error.message : String(error)}`,
            ),
          )
          .finally(() => {
            if (this.timer) next(intervalMs);
          });
      }, delay);
      this.timer.unref();
    };
    next(Math.min(FIRST_PASS_DELAY_MS, intervalMs));
  }

  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
