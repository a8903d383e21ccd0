import type { DataSource } from 'typeorm';
import {
  type CatalogEntry,
  composeEffectiveSettings,
  type EffectiveSetting,
} from '../../domain/namespaces/compose-effective-settings.js';
import type { NamespaceType } from '../../domain/namespaces/namespace-types.js';
import type { ChildVisibility, Scope } from '../../domain/sysctl/sysctl-types.js';
import type { KeyPage } from '../params/key-page.js';
import { positionalParams } from '../queries/named-params.js';

interface Row {
  name: string;
  scope: Scope;
  child_visibility: ChildVisibility | null;
  volatile: number;
  in_host: number;
  host_value: string | null;
  in_own: number;
  own_value: string | null;
}

export interface EffectiveSettingsRequest {
  readonly hostId: number;
  /** The set's id, or null for the host itself. */
  readonly setId: number | null;
  /** Namespace types the set owns (its own values for keys of these scopes). */
  readonly ownTypes: readonly NamespaceType[];
  readonly at: number;
  readonly prefix: string | undefined;
  readonly page: KeyPage;
}

/**
 * One set's value of a key at `at`: the interval holding `at` (one index seek on ix_setting_values_history),
 * or its counter's latest reading, which wins as in stateAt.
 */
const valueOf = (alias: string, param: string): string => `
  LEFT JOIN "setting_values" ${alias}v ON ${alias}v."namespace_id" = ${param} AND ${alias}v."key_id" = k."id"
        AND ${alias}v."valid_from" <= :at AND (${alias}v."valid_to" IS NULL OR ${alias}v."valid_to" > :at)
  LEFT JOIN "volatile_values" ${alias}x ON ${alias}x."namespace_id" = ${param} AND ${alias}x."key_id" = k."id"`;

/**
 * A page of the settings in force inside a set, in key order: the same composition as
 * composeEffectiveSettings (own value for the owned types' keys, else the host's), decided in SQL so only the
 * page's keys are read and built. Walks ux_keys_name from the cursor and stops after `limit + 1` keys in force.
 */
export async function effectiveSettingsPage(
  dataSource: DataSource,
  request: EffectiveSettingsRequest,
): Promise<EffectiveSetting[]> {
  const after = request.prefix && request.prefix > request.page.cursor ? request.prefix : request.page.cursor;
  const sql = `SELECT k."name", k."scope", k."child_visibility", k."volatile",
         (hv."id" IS NOT NULL OR hx."key_id" IS NOT NULL) AS "in_host",
         CASE WHEN hx."key_id" IS NOT NULL THEN hx."value" ELSE hv."value" END AS "host_value",
         (ov."id" IS NOT NULL OR ox."key_id" IS NOT NULL) AS "in_own",
         CASE WHEN ox."key_id" IS NOT NULL THEN ox."value" ELSE ov."value" END AS "own_value"
    FROM "keys" k ${valueOf('h', ':host')} ${valueOf('o', ':own')}
   WHERE k."name" >= :after AND k."name" <> :cursor AND substr(k."name", 1, length(:prefix)) = :prefix
     AND CASE WHEN k."scope" IN (SELECT "value" FROM json_each(:owned))
              THEN ov."id" IS NOT NULL OR ox."key_id" IS NOT NULL
              ELSE hv."id" IS NOT NULL OR hx."key_id" IS NOT NULL OR ov."id" IS NOT NULL OR ox."key_id" IS NOT NULL END
   ORDER BY k."name" LIMIT :limit`;
  const query = positionalParams(sql, {
    at: request.at,
    host: request.hostId,
    own: request.setId ?? -1,
    owned: JSON.stringify(request.ownTypes),
    after,
    cursor: request.page.cursor,
    prefix: request.prefix ?? '',
    limit: request.page.limit + 1,
  });
  const rows: Row[] = await dataSource.query(query.sql, query.params);
  const catalog = new Map<string, CatalogEntry>();
  const host = new Map<string, string | null>();
  const own = new Map<string, string | null>();
  for (const r of rows) {
    catalog.set(r.name, { scope: r.scope, childVisibility: r.child_visibility, volatile: r.volatile === 1 });
    if (r.in_host) host.set(r.name, r.host_value);
    if (r.in_own && request.setId !== null) own.set(r.name, r.own_value);
  }
  return composeEffectiveSettings(catalog, host, own, request.ownTypes);
}
