import { Module } from '@nestjs/common';
import { COLLECTION_PERIODS, type CollectionPeriods, CollectionScheduler } from './collection.scheduler.js';
import { KmsgModule } from './kernel-events/kmsg.module.js';
import { KMSG_SETTINGS, type KmsgSettings } from './kernel-events/kmsg.tokens.js';
import { RETENTION_SETTINGS, type RetentionSettings } from './retention/retention-settings.js';
import { RetentionModule } from './retention/retention.module.js';
import { SnapshotModule } from './snapshot/snapshot.module.js';
import { SNAPSHOT_SETTINGS, type SnapshotSettings } from './snapshot/snapshot.tokens.js';

/**
 * Collection: the background jobs of a recording agent (snapshots, the kernel log, retention), run by the one
 * CollectionScheduler. AppModule imports it unless READ_ONLY (postmortem) or CLI_MODE: the one switch for
 * "no collection".
 */
@Module({
  imports: [SnapshotModule, KmsgModule, RetentionModule],
  providers: [
    CollectionScheduler,
    {
      provide: COLLECTION_PERIODS,
      inject: [SNAPSHOT_SETTINGS, KMSG_SETTINGS, RETENTION_SETTINGS],
      useFactory: (s: SnapshotSettings, k: KmsgSettings, r: RetentionSettings): CollectionPeriods => ({
        snapshotMs: s.intervalSeconds * 1000,
        kernelLogMs: k.pollIntervalMs,
        retentionMs: r.enabled ? r.intervalMinutes * 60_000 : null,
      }),
    },
  ],
})
export class CollectionModule {}
