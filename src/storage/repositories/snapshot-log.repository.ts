import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source-options.js';

export interface LastSnapshotRow {
  id: number;
  taken_at: number;
  errors: string;
  trigger: string;
}

const LAST_SNAPSHOT = `SELECT "id", "taken_at", "errors", "trigger" FROM "snapshots" ORDER BY "id" DESC LIMIT 1`;

/** The newest snapshot row: what /health reports its freshness and Docker status from. */
@Injectable()
export class SnapshotLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async last(): Promise<LastSnapshotRow | undefined> {
    const rows: LastSnapshotRow[] = await this.dataSource.query(LAST_SNAPSHOT);
    return rows[0];
  }
}

/**
 * The newest snapshot in a database file, opened read-only outside Nest (the CLI checks it before it starts
 * one); undefined when the file is not a database of ours yet (or has no snapshot table).
 */
export async function lastSnapshotIn(dbPath: string): Promise<LastSnapshotRow | undefined> {
  const dataSource = new DataSource(dataSourceOptions({ dbPath, readOnly: true }));
  try {
    await dataSource.initialize();
    const rows: LastSnapshotRow[] = await dataSource.query(LAST_SNAPSHOT);
    return rows[0];
  } catch {
    return undefined;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
