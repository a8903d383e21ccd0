import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { KmsgService } from './kmsg.service.js';
import { KMSG_SETTINGS, type KmsgSettings } from './kmsg.tokens.js';

const INTERVAL_NAME = 'kmsg';

/** Polls the kernel log at start and every pollIntervalMs in the background; only calls the service. */
@Injectable()
export class KmsgScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly kmsg: KmsgService,
    private readonly registry: SchedulerRegistry,
    @Inject(KMSG_SETTINGS) private readonly settings: KmsgSettings,
  ) {}

  onApplicationBootstrap(): void {
    void this.kmsg.pollOnce();
    const handle = setInterval(() => void this.kmsg.pollOnce(), this.settings.pollIntervalMs);
    this.registry.addInterval(INTERVAL_NAME, handle);
  }

  onApplicationShutdown(): void {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    this.kmsg.close();
  }
}
