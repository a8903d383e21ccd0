import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { SnapshotService } from './snapshot.service.js';
import { SNAPSHOT_SETTINGS, type SnapshotSettings } from './snapshot.tokens.js';

const INTERVAL_NAME = 'snapshot';

/** Takes the first snapshot at start, then one every SNAPSHOT_INTERVAL seconds; only calls the service. */
@Injectable()
export class SnapshotScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SnapshotScheduler.name);

  constructor(
    private readonly snapshots: SnapshotService,
    private readonly registry: SchedulerRegistry,
    @Inject(SNAPSHOT_SETTINGS) private readonly settings: SnapshotSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.snapshots.prepare().catch((error: unknown) => {
      this.logger.error(
        `classification at start failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    this.snapshots.runOnce('startup').catch((error: unknown) => {
      this.logger.error(`startup snapshot failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    const handle = setInterval(() => void this.snapshots.tick(), this.settings.intervalSeconds * 1000);
    this.registry.addInterval(INTERVAL_NAME, handle);
  }

  onApplicationShutdown(): void {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
  }
}
