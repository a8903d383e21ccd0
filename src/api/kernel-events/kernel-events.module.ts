import { Module } from '@nestjs/common';
import { StorageModule } from '../../storage/storage.module.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import { KernelEventsController } from './kernel-events.controller.js';
import { KernelEventsQueryService } from './kernel-events.service.js';

/** GET /kernel-events: reads the database only (works in postmortem mode without the follower). */
@Module({
  imports: [StorageModule],
  controllers: [KernelEventsController],
  providers: [KernelEventsQueryService, NamespaceResolver],
})
export class KernelEventsModule {}
