import { Module } from '@nestjs/common';
import { DomainEvents } from './domain-events.bus.js';
import { StorageRecoveryBridge } from './storage-recovery.bridge.js';

/** The event seam: imported by every producer and consumer module (one instance: a static module). */
@Module({ providers: [DomainEvents, StorageRecoveryBridge], exports: [DomainEvents] })
export class EventsModule {}
