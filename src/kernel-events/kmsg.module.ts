import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { EventsModule } from '../events/events.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { KmsgService } from './kmsg.service.js';
import { KMSG_SETTINGS, type KmsgSettings } from './kmsg.tokens.js';

/**
 * Kernel log events: KmsgService drains /dev/kmsg, stores matched, coalesced bursts and publishes
 * `kernel-events.stored` on the event seam. It polls only when asked: by CollectionScheduler, which AppModule runs
 * while collecting, or by a caller of pollOnce(). Exports KmsgService (status() for /health).
 */
@Module({
  imports: [EventsModule, StorageModule],
  providers: [
    KmsgService,
    {
      provide: KMSG_SETTINGS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>): KmsgSettings => ({
        procRoot: config.get('PROC_ROOT', { infer: true }),
        path: config.get('KMSG_PATH', { infer: true }),
        pollIntervalMs: config.get('KMSG_POLL_INTERVAL_MS', { infer: true }),
        quietGapMs: config.get('KMSG_QUIET_GAP_SECONDS', { infer: true }) * 1000,
        maxReadsPerPoll: 20_000,
      }),
    },
  ],
  exports: [KmsgService, KMSG_SETTINGS],
})
export class KmsgModule {}
