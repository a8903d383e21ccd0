import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { databaseFileFault, storageState } from './storage-state.js';
import type { StorageWriteStatus } from './write-health.js';

export interface StorageView extends StorageWriteStatus {
  readonly path: string;
  /** Set when the database path no longer names the open file (deleted, moved, replaced). */
  readonly fileFault: string | null;
  /** Why nothing can be recorded right now; null when storage is healthy. */
  readonly problem: string | null;
}

/** Storage's own account of whether it records: read by /health, /metrics and anything that must say so. */
@Injectable()
export class StorageStatus {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Why nothing can be recorded at `now`, or null: a vanished file, a failing write, a lock held too long. */
  problem(now: number = Date.now()): string | null {
    const state = storageState(this.dataSource);
    return databaseFileFault(state) ?? state.health.problem(now);
  }

  view(now: number = Date.now()): StorageView {
    const state = storageState(this.dataSource);
    const fileFault = databaseFileFault(state);
    return {
      path: typeof this.dataSource.options.database === 'string' ? this.dataSource.options.database : '',
      ...state.health.status(),
      fileFault,
      problem: fileFault ?? state.health.problem(now),
    };
  }
}
