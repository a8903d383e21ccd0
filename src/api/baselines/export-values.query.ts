import type { DataSource } from 'typeorm';
import type { BundleClassification } from '../../domain/baselines/bundle-types.js';
import type { ChildVisibility, ClassificationSource, Scope } from '../../domain/sysctl/sysctl-types.js';
import { chunked } from '../../storage/chunked.js';

/**
 * Values of several namespace sets at `at`, in one query per 400 sets: the setting in force, and a counter's
 * reading only when it was read at or before `at` (only the latest reading is kept, so for an older instant
 * the counter is left out rather than shown with a value from later).
 */
export async function valuesAt(
  dataSource: DataSource,
  namespaceIds: readonly number[],
  at: number,
): Promise<Map<number, Map<string, string | null>>> {
  const byNamespace = new Map<number, Map<string, string | null>>(namespaceIds.map((id) => [id, new Map()]));
  for (const ids of chunked(namespaceIds, 400)) {
    const list = ids.map(() => '?').join(', ');
    const rows: { ns: number; name: string; value: string | null }[] = await dataSource.query(
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
export async function loadBundleCatalog(dataSource: DataSource): Promise<Map<string, BundleClassification>> {
  const rows: {
    name: string;
    scope: Scope;
    child_visibility: ChildVisibility | null;
    volatile: number;
    classification_source: ClassificationSource;
  }[] = await dataSource.query(
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
