import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { WriteLock } from './write-lock.js';

/** A write transaction under the process-wide write lock, for callers outside storage that enlist writers. */
@Injectable()
export class WriteTransactions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
  ) {}

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.lock.exclusive(() => this.dataSource.transaction(work));
  }
}
