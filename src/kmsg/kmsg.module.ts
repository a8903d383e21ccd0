import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ScheduleModule } from '@nestjs/schedule';
import type { EnvironmentVariables } from '../config/env.schema.js';
import { KernelEventWriter } from '../storage/kernel-event.writer.js';
import { StorageModule } from '../storage/storage.module.js';
import { KmsgScheduler } from './kmsg.scheduler.js';
import { KmsgService } from './kmsg.service.js';
import { DEFAULT_KMSG_SETTINGS, KMSG_SETTINGS, type KmsgSettings } from './kmsg.tokens.js';

export interface KmsgModuleOptions extends Partial<KmsgSettings> {
  /** false: no background polling (tests call KmsgService.pollOnce themselves). Default true. */
  readonly schedule?: boolean;
}

/**
 * Kernel log events: follows /dev/kmsg in the background and stores matched, coalesced events.
 * Exports KmsgService (status() for /health, onEvents() for incidents and webhooks). The procfs root defaults
 * to PROC_ROOT; every other setting to DEFAULT_KMSG_SETTINGS.
 */
@Module({})
export class KmsgModule {
  static forRoot(options: KmsgModuleOptions = {}): DynamicModule {
    const { schedule = true, ...overrides } = options;
    return {
      module: KmsgModule,
      // Global: import forRoot once (AppModule); /health, incidents and webhooks inject KmsgService directly.
      global: true,
      imports: [ScheduleModule.forRoot(), StorageModule],
      providers: [
        KmsgService,
        KernelEventWriter,
        ...(schedule ? [KmsgScheduler] : []),
        {
          provide: KMSG_SETTINGS,
          inject: [ConfigService],
          useFactory: (config: ConfigService<EnvironmentVariables, true>): KmsgSettings => ({
            ...DEFAULT_KMSG_SETTINGS,
            procRoot: config.get('PROC_ROOT', { infer: true }),
            ...overrides,
          }),
        },
      ],
      exports: [KmsgService],
    };
  }
}
