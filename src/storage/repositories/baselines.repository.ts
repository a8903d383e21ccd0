import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Bundle } from '../../domain/baselines/bundle-types.js';
import { WriteLock } from '../write-lock.js';
import { runWriteTransaction } from '../write-transaction.js';

export interface BaselineRow {
  readonly name: string;
  readonly importedAt: number;
  readonly hostname: string | null;
  readonly kernelRelease: string | null;
  readonly at: number;
  readonly keyCount: number;
  readonly namespaceCount: number;
}

const SUMMARY = `"name", "imported_at" AS "importedAt", "hostname", "kernel_release" AS "kernelRelease", "at",
  "key_count" AS "keyCount", "namespace_count" AS "namespaceCount"`;

export type SaveOutcome = 'created' | 'replaced' | 'exists';

/** The baselines table: one validated bundle per name, stored whole (see the migration for why). */
@Injectable()
export class BaselinesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
  ) {}

  /** Inserts, or replaces when `replace`; answers `exists` (and writes nothing) for a taken name otherwise. */
  save(name: string, bundle: Bundle, importedAt: number, replace: boolean): Promise<SaveOutcome> {
    const columns = [
      importedAt,
      bundle.host.hostname,
      bundle.host.kernelRelease,
      Date.parse(bundle.at),
      bundle.formatVersion,
      Object.keys(bundle.values).length,
      bundle.namespaces?.length ?? 0,
      JSON.stringify(bundle),
    ];
    return this.lock.exclusive(() =>
      runWriteTransaction(this.dataSource, async (em): Promise<SaveOutcome> => {
        const existing: { id: number }[] = await em.query(`SELECT "id" FROM "baselines" WHERE "name" = ?`, [
          name,
        ]);
        const id = existing[0]?.id;
        if (id !== undefined && !replace) return 'exists';
        if (id !== undefined) {
          await em.query(
            `UPDATE "baselines" SET "imported_at" = ?, "hostname" = ?, "kernel_release" = ?, "at" = ?,
               "format_version" = ?, "key_count" = ?, "namespace_count" = ?, "bundle" = ? WHERE "id" = ?`,
            [...columns, id],
          );
          return 'replaced';
        }
        await em.query(
          `INSERT INTO "baselines" ("name", "imported_at", "hostname", "kernel_release", "at", "format_version",
             "key_count", "namespace_count", "bundle") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [name, ...columns],
        );
        return 'created';
      }),
    );
  }

  list(): Promise<BaselineRow[]> {
    return this.dataSource.query(`SELECT ${SUMMARY} FROM "baselines" ORDER BY "name"`);
  }

  async summary(name: string): Promise<BaselineRow | undefined> {
    const rows: BaselineRow[] = await this.dataSource.query(
      `SELECT ${SUMMARY} FROM "baselines" WHERE "name" = ?`,
      [name],
    );
    return rows[0];
  }

  /** The stored bundle (validated on import, so it is read back as a Bundle). */
  async bundle(name: string): Promise<{ row: BaselineRow; bundle: Bundle } | undefined> {
    const rows: (BaselineRow & { bundle: string })[] = await this.dataSource.query(
      `SELECT ${SUMMARY}, "bundle" FROM "baselines" WHERE "name" = ?`,
      [name],
    );
    const found = rows[0];
    if (!found) return undefined;
    const { bundle, ...row } = found;
    return { row, bundle: JSON.parse(bundle) as Bundle };
  }

  /** True when a baseline of that name existed. */
  remove(name: string): Promise<boolean> {
    return this.lock.exclusive(() =>
      runWriteTransaction(this.dataSource, async (em) => {
        const deleted: { id: number }[] = await em.query(
          `DELETE FROM "baselines" WHERE "name" = ? RETURNING "id"`,
          [name],
        );
        return deleted.length > 0;
      }),
    );
  }
}
