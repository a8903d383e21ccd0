import type { DataSource } from 'typeorm';
import { ownerNamesOf, ownerNamesSql } from '../queries/owner-names.js';
import type { NamespaceValue } from './setting.views.js';

/** The value of one key at `at` in every namespace set that recorded its own reading of it. */
export async function valuesPerNamespace(
  dataSource: DataSource,
  keyId: number,
  at: number,
): Promise<NamespaceValue[]> {
  const rows: { identity: string; kind: string; value: string | null; owners: string | null }[] =
    await dataSource.query(
      `SELECT n."identity", n."kind", v."value",
            ${ownerNamesSql('n."id"')} AS "owners"
       FROM "setting_values" v JOIN "namespaces" n ON n."id" = v."namespace_id"
      WHERE v."key_id" = ? AND v."valid_from" <= ? AND (v."valid_to" IS NULL OR v."valid_to" > ?)
      ORDER BY n."identity" = 'host' DESC, n."identity"`,
      [keyId, at, at],
    );
  return rows.map((r) => ({
    namespace: r.identity,
    kind: r.kind,
    owners: ownerNamesOf(r.owners),
    value: r.value,
  }));
}
