import { Module } from '@nestjs/common';
import { KmsgModule } from './kmsg/kmsg.module.js';
import { KmsgScheduler } from './kmsg/kmsg.scheduler.js';
import { RetentionModule } from './retention/retention.module.js';
import { RetentionScheduler } from './retention/retention.scheduler.js';
import { SnapshotModule } from './snapshot/snapshot.module.js';
import { SnapshotScheduler } from './snapshot/snapshot.scheduler.js';

/**
 * Collection: the background jobs of a recording agent (snapshots, the kernel log, retention). AppModule
 * imports it unless READ_ONLY (postmortem) or CLI_MODE: that is the one switch for "no collection".
 */
@Module({
  imports: [SnapshotModule, KmsgModule, RetentionModule],
  providers: [SnapshotScheduler, KmsgScheduler, RetentionScheduler],
})
export class CollectionModule {}
