import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ownerNamesOf, ownerNamesSql } from '../owner-names.js';

export interface SettingRow {
  id: number;
  name: string;
  scope: string;
  volatile: number;
  child_visibility: string | null;
  classification_source: string;
  access: string;
  evidence: string | null;
  first_seen_at: number;
  value: string | null;
  valid_from: number | null;
  volatile_value: string | null;
  read_at: number | null;
}

export interface SettingFilters {
  readonly prefix?: string | undefined;
  readonly q?: string | undefined;
  readonly scope?: string | undefined;
}

export interface IntervalRow {
  value: string | null;
  valid_from: number;
  valid_to: number | null;
  /**
   * Boot ids of the snapshot that opened the interval and of the set's previous full read before it (the snapshot
   * at `changed_after`; with rolling full reads not always the snapshot just before), null: unknown.
   */
  boot_id: string | null;
  previous_boot_id: string | null;
  changed_after: number | null;
  ended_after: number | null;
}

export interface NamespaceValueRow {
  namespace: string;
  kind: string;
  owners: string[];
  value: string | null;
  /** True for a set that shares the key's namespace with the host (it sees the host's value). */
  sharesHost: boolean;
  /** The namespace the value was read in: the one of the key's scope; null for a global key. */
  readIn: { type: string; inode: number | null } | null;
}

/** The namespace types whose inodes a set records; a key of one of them is shared by sets with the host's inode. */
export type SharedNamespaceType = 'net' | 'ipc' | 'uts';
/** The column holding a set's namespace of each namespaced scope. */
const INODE_COLUMN: Readonly<Record<string, string>> = {
  net: 'net_inode',
  ipc: 'ipc_inode',
  uts: 'uts_inode',
  pid: 'pid_inode',
  user: 'user_inode',
};

const SETTING_SELECT = `
  SELECT k."id", k."name", k."scope", k."volatile", k."child_visibility", k."classification_source", k."access",
         k."evidence", k."first_seen_at", v."value", v."valid_from", vv."value" AS "volatile_value", vv."read_at"
    FROM "keys" k
    LEFT JOIN "setting_values" v
      ON v."key_id" = k."id" AND v."namespace_id" = ? AND v."valid_from" <= ? AND (v."valid_to" IS NULL OR v."valid_to" > ?)
    LEFT JOIN "volatile_values" vv ON vv."key_id" = k."id" AND vv."namespace_id" = ?`;

/** SQL LIKE pattern for a literal prefix/substring (escape character `\`). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The key catalog with values at an instant, and one key's value history. */
@Injectable()
export class SettingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every key matching the filters (in name order) with its value in one set at `at`. */
  list(namespaceId: number, at: number, filters: SettingFilters): Promise<SettingRow[]> {
    const where: string[] = [];
    const params: unknown[] = [namespaceId, at, at, namespaceId];
    const filter = (clause: string, value: unknown): void => {
      where.push(clause);
      params.push(value);
    };
    if (filters.prefix) filter(`k."name" LIKE ? ESCAPE '\\'`, `${likeLiteral(filters.prefix)}%`);
    if (filters.q) filter(`k."name" LIKE ? ESCAPE '\\'`, `%${likeLiteral(filters.q)}%`);
    if (filters.scope) filter(`k."scope" = ?`, filters.scope);
    return this.dataSource.query(
      `${SETTING_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY k."name"`,
      params,
    );
  }

  async one(namespaceId: number, at: number, key: string): Promise<SettingRow | undefined> {
    const rows: SettingRow[] = await this.dataSource.query(`${SETTING_SELECT} WHERE k."name" = ?`, [
      namespaceId,
      at,
      at,
      namespaceId,
      key,
    ]);
    return rows[0];
  }

  async key(name: string): Promise<{ id: number; volatile: number } | undefined> {
    const keys: { id: number; volatile: number }[] = await this.dataSource.query(
      `SELECT "id", "volatile" FROM "keys" WHERE "name" = ?`,
      [name],
    );
    return keys[0];
  }

  /** The key's value intervals in one set that overlap [from, to]. */
  history(namespaceId: number, keyId: number, from: number, to: number): Promise<IntervalRow[]> {
    return this.dataSource.query(
      `SELECT v."value", v."valid_from", v."valid_to", v."changed_after", v."ended_after", s."boot_id",
              (SELECT p."boot_id" FROM "snapshots" p
                WHERE p."id" < v."opened_by" AND (v."changed_after" IS NULL OR p."taken_at" <= v."changed_after")
                ORDER BY p."id" DESC LIMIT 1) AS "previous_boot_id"
         FROM "setting_values" v LEFT JOIN "snapshots" s ON s."id" = v."opened_by"
        WHERE v."namespace_id" = ? AND v."key_id" = ? AND v."valid_from" <= ? AND (v."valid_to" IS NULL OR v."valid_to" > ?)
        ORDER BY v."valid_from"`,
      [namespaceId, keyId, to, from],
    );
  }

  /** The value of one key at `at` in every namespace set that recorded its own reading of it. */
  async valuesPerNamespace(keyId: number, at: number, scope: string): Promise<NamespaceValueRow[]> {
    const column = INODE_COLUMN[scope];
    const rows: {
      identity: string;
      kind: string;
      value: string | null;
      owners: string | null;
      inode: number | null;
    }[] = await this.dataSource.query(
      `SELECT n."identity", n."kind", v."value", ${column === undefined ? 'NULL' : `n."${column}"`} AS "inode",
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
      sharesHost: false,
      readIn: column === undefined ? null : { type: scope, inode: r.inode },
    }));
  }

  /**
   * The sets alive at the last snapshot by `at` that share the host's namespace of `type` (a `--network host`
   * container for net keys, a netns of a process left in the host's ipc/uts for ipc/uts keys): they read no
   * value of their own, they see the host's.
   */
  async setsSharingHost(type: SharedNamespaceType, at: number): Promise<Omit<NamespaceValueRow, 'value'>[]> {
    const column = INODE_COLUMN[type];
    const rows: { identity: string; kind: string; owners: string | null; inode: number | null }[] =
      await this.dataSource.query(
        `WITH "s"("at") AS (SELECT max("taken_at") FROM "snapshots" WHERE "taken_at" <= ?)
         SELECT n."identity", n."kind", n."${column}" AS "inode", ${ownerNamesSql('n."id"')} AS "owners"
           FROM "namespaces" n, "namespaces" h, "s"
          WHERE h."identity" = 'host' AND n."identity" <> 'host' AND n."${column}" = h."${column}"
            AND n."first_seen_at" <= s."at" AND n."last_seen_at" >= s."at"
          ORDER BY n."identity"`,
        [at],
      );
    return rows.map((r) => ({
      namespace: r.identity,
      kind: r.kind,
      owners: ownerNamesOf(r.owners),
      sharesHost: true,
      readIn: { type, inode: r.inode },
    }));
  }
}
