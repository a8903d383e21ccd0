import type { DataSource } from 'typeorm';
import type { ValueState } from '../../domain/history/diff-value-maps.js';
import type { CatalogEntry } from '../../domain/namespaces/compose-effective-settings.js';
import type { ChildVisibility, Scope } from '../../domain/sysctl/sysctl-types.js';

/** Every setting's value in one namespace set at `at`, plus its counters' latest readings. */
export async function stateAt(dataSource: DataSource, namespaceId: number, at: number): Promise<ValueState> {
  const rows: { name: string; value: string | null }[] = await dataSource.query(
    `SELECT k."name", v."value" FROM "setting_values" v JOIN "keys" k ON k."id" = v."key_id"
      WHERE v."namespace_id" = ? AND v."valid_from" <= ? AND (v."valid_to" IS NULL OR v."valid_to" > ?)
     UNION ALL
     SELECT k."name", vv."value" FROM "volatile_values" vv JOIN "keys" k ON k."id" = vv."key_id"
      WHERE vv."namespace_id" = ?`,
    [namespaceId, at, at, namespaceId],
  );
  return new Map(rows.map((r) => [r.name, r.value]));
}

export async function loadCatalog(dataSource: DataSource): Promise<Map<string, CatalogEntry>> {
  const rows: { name: string; scope: Scope; child_visibility: ChildVisibility | null; volatile: number }[] =
    await dataSource.query(`SELECT "name", "scope", "child_visibility", "volatile" FROM "keys"`);
  return new Map(
    rows.map((r) => [
      r.name,
      { scope: r.scope, childVisibility: r.child_visibility, volatile: r.volatile === 1 },
    ]),
  );
}

/** The time of the last snapshot at or before `at`, or null when there was none. */
export async function snapshotTimeAt(dataSource: DataSource, at: number): Promise<number | null> {
  const rows: { t: number | null }[] = await dataSource.query(
    `SELECT max("taken_at") AS "t" FROM "snapshots" WHERE "taken_at" <= ?`,
    [at],
  );
  return rows[0]?.t ?? null;
}
