import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { onStorageRecovery } from '../storage/storage-state.js';
import { DomainEvents } from './domain-events.bus.js';

/**
 * Storage sits below the seam and cannot publish; this bridge makes its recoveries events: the first commit
 * after an outage of writes carries `storage.recovered` to the durable consumers (the webhook outbox).
 */
@Injectable()
export class StorageRecoveryBridge {
  constructor(@InjectDataSource() dataSource: DataSource, events: DomainEvents) {
    onStorageRecovery(dataSource, (em, outage) => events.write(em, { type: 'storage.recovered', ...outage }));
  }
}
