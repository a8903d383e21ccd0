import { Module } from '@nestjs/common';
import { DomainEvents } from './domain-events.bus.js';

/** The event seam: imported by every producer and consumer module (one instance: a static module). */
@Module({ providers: [DomainEvents], exports: [DomainEvents] })
export class EventsModule {}
