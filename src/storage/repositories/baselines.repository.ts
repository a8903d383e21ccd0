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

/** Parsed bundles kept (the most recently read ones). */
const PARSED_BUNDLES = 4;

export type SaveOutcome = 'created' | 'replaced' | 'exists';

/** The baselines table: one validated bundle per name, stored whole (see the migration for why). */
@Injectable()
export class BaselinesRepository {
  private readonly parsed = new Map<string, { id: number; row: BaselineRow; bundle: Bundle }>();

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
    return this.forgetting(name, () =>
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

  /**
   * The stored bundle (validated on import, so it is read back as a Bundle). A bundle is parsed once per
   * stored version (row id and import time, which every save sets; this process's saves also drop it) and
   * shared, frozen, by later reads: an incident report against a baseline reads it on every request.
   */
  async bundle(name: string): Promise<{ row: BaselineRow; bundle: Bundle } | undefined> {
    const versions: (BaselineRow & { id: number })[] = await this.dataSource.query(
      `SELECT ${SUMMARY}, "id" FROM "baselines" WHERE "name" = ?`,
      [name],
    );
    const current = versions[0];
    if (!current) return undefined;
    const cached = this.parsed.get(name);
    if (cached && cached.id === current.id && cached.row.importedAt === current.importedAt)
      return { row: cached.row, bundle: cached.bundle };
    const rows: (BaselineRow & { id: number; bundle: string })[] = await this.dataSource.query(
      `SELECT ${SUMMARY}, "id", "bundle" FROM "baselines" WHERE "name" = ?`,
      [name],
    );
    const found = rows[0];
    if (!found) return undefined;
    const { bundle: text, id, ...row } = found;
    const bundle = deepFreeze(JSON.parse(text) as Bundle);
    this.parsed.delete(name);
    this.parsed.set(name, { id, row, bundle });
    if (this.parsed.size > PARSED_BUNDLES) this.parsed.delete(this.parsed.keys().next().value ?? name);
    return { row, bundle };
  }

  /** Runs a write of the baseline `name` under the write lock; its parsed copy is dropped before and after. */
  private async forgetting<T>(name: string, write: () => Promise<T>): Promise<T> {
    this.parsed.delete(name);
    try {
      return await this.lock.exclusive(write);
    } finally {
      this.parsed.delete(name);
    }
  }

  /** True when a baseline of that name existed. */
  remove(name: string): Promise<boolean> {
    return this.forgetting(name, () =>
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

/** Freezes a parsed JSON value and everything in it, so a shared copy cannot be changed by one reader. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value as object)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
