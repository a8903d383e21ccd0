import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { BundleClassification } from '../../domain/baselines/bundle-types.js';
import type { KeyFacts } from '../../domain/correlation/evidence-types.js';
import type { ValueState } from '../../domain/history/diff-value-maps.js';
import type { CatalogEntry } from '../../domain/namespaces/compose-effective-settings.js';
import type { ChildVisibility, ClassificationSource, Scope } from '../../domain/sysctl/sysctl-types.js';
import { chunked } from '../chunked.js';

/**
 * The values in force in one set at an instant (parameters: the set's id, the instant twice, the id again),
 * then its counters' latest readings.
 */
export const STATE_AT_SQL = `SELECT k."name", v."value" FROM "keys" k JOIN "setting_values" v ON v."id" = (
         SELECT x."id" FROM "setting_values" x
          WHERE x."namespace_id" = ? AND x."key_id" = k."id" AND x."valid_from" <= ?
            AND (x."valid_to" IS NULL OR x."valid_to" > ?)
          ORDER BY x."valid_from" DESC LIMIT 1)
       UNION ALL
       SELECT k."name", vv."value" FROM "volatile_values" vv JOIN "keys" k ON k."id" = vv."key_id"
        WHERE vv."namespace_id" = ?`;

/** The key catalog and the values in force at an instant. */
@Injectable()
export class StateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Every setting's value in one namespace set at `at`, plus its counters' latest readings. One seek per key
   * on ix_setting_values_history for the value in force (a set's values never overlap in time): a range of
   * everything the set opened before `at` grew with its history (30 days: ~12,700 host rows for ~1,560 keys).
   */
  async stateAt(namespaceId: number, at: number): Promise<ValueState> {
    const rows: { name: string; value: string | null }[] = await this.dataSource.query(STATE_AT_SQL, [
      namespaceId,
      at,
      at,
      namespaceId,
    ]);
    return new Map(rows.map((r) => [r.name, r.value]));
  }

  async catalog(): Promise<Map<string, CatalogEntry>> {
    const rows: { name: string; scope: Scope; child_visibility: ChildVisibility | null; volatile: number }[] =
      await this.dataSource.query(`SELECT "name", "scope", "child_visibility", "volatile" FROM "keys"`);
    return new Map(
      rows.map((r) => [
        r.name,
        { scope: r.scope, childVisibility: r.child_visibility, volatile: r.volatile === 1 },
      ]),
    );
  }

  /** The time of the last snapshot at or before `at`, or null when there was none. */
  async snapshotTimeAt(at: number): Promise<number | null> {
    const rows: { t: number | null }[] = await this.dataSource.query(
      `SELECT max("taken_at") AS "t" FROM "snapshots" WHERE "taken_at" <= ?`,
      [at],
    );
    return rows[0]?.t ?? null;
  }

  /**
   * Values of several namespace sets at `at`, in one query per 400 sets: the setting in force, and a counter's
   * reading only when it was read at or before `at` (only the latest reading is kept, so for an older instant
   * the counter is left out rather than shown with a value from later).
   */
  async valuesAt(
    namespaceIds: readonly number[],
    at: number,
  ): Promise<Map<number, Map<string, string | null>>> {
    const byNamespace = new Map<number, Map<string, string | null>>(
      namespaceIds.map((id) => [id, new Map()]),
    );
    for (const ids of chunked(namespaceIds, 400)) {
      const list = ids.map(() => '?').join(', ');
      const rows: { ns: number; name: string; value: string | null }[] = await this.dataSource.query(
        `SELECT v."namespace_id" AS "ns", k."name", v."value"
           FROM "setting_values" v JOIN "keys" k ON k."id" = v."key_id"
          WHERE v."namespace_id" IN (${list}) AND v."valid_from" <= ? AND (v."valid_to" IS NULL OR v."valid_to" > ?)
         UNION ALL
         SELECT vv."namespace_id" AS "ns", k."name", vv."value"
           FROM "volatile_values" vv JOIN "keys" k ON k."id" = vv."key_id"
          WHERE vv."namespace_id" IN (${list}) AND vv."read_at" <= ?`,
        [...ids, at, at, ...ids, at],
      );
      for (const row of rows) byNamespace.get(row.ns)?.set(row.name, row.value);
    }
    return byNamespace;
  }

  /** The whole key catalog as bundle classifications (scope, child visibility, volatile, source). */
  async bundleCatalog(): Promise<Map<string, BundleClassification>> {
    const rows: {
      name: string;
      scope: Scope;
      child_visibility: ChildVisibility | null;
      volatile: number;
      classification_source: ClassificationSource;
    }[] = await this.dataSource.query(
      `SELECT "name", "scope", "child_visibility", "volatile", "classification_source" FROM "keys"`,
    );
    return new Map(
      rows.map((r) => [
        r.name,
        {
          scope: r.scope,
          childVisibility: r.child_visibility,
          volatile: r.volatile === 1,
          source: r.classification_source,
        },
      ]),
    );
  }

  /** The scope and child visibility of the named keys (not the whole catalog). */
  async keyFacts(names: readonly string[]): Promise<Map<string, KeyFacts>> {
    const rows: { name: string; scope: Scope; child_visibility: ChildVisibility | null }[] =
      await this.dataSource.query(
        `SELECT "name", "scope", "child_visibility" FROM "keys" WHERE "name" IN (SELECT "value" FROM json_each(?))`,
        [JSON.stringify(names)],
      );
    return new Map(rows.map((r) => [r.name, { scope: r.scope, childVisibility: r.child_visibility }]));
  }
}
