import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DefaultRow } from '../domain/namespaces/not-inherited.js';
import type { KeyFacts } from '../domain/preflight/preflight-types.js';
import type { ChildVisibility, Scope } from '../domain/sysctl/sysctl-types.js';
import { chunked } from './chunked.js';
import type { NamespaceRecord } from './repositories/namespaces.repository.js';
import { WriteLock } from './write-lock.js';
import { runWriteTransaction } from './write-transaction.js';

/** One probe result to store: modes of every file of the fresh child and values of its namespaced keys. */
export interface NamespaceDefaultsRecord {
  readonly kernelRelease: string;
  readonly probedAt: number;
  readonly childModes: ReadonlyMap<string, number>;
  readonly childValues: ReadonlyMap<string, string>;
}

export interface DefaultsStatus {
  readonly kernelRelease: string | null;
  readonly probedAt: number | null;
  readonly keys: number;
}

interface FactsRow {
  name: string;
  scope: Scope;
  child_visibility: ChildVisibility | null;
  host: string | null;
}

interface DefaultFactsRow {
  key: string;
  child_mode: number;
  value: string | null;
}

/** A namespace set alive at the last snapshot, with its owner names. */
export interface RunningSet extends NamespaceRecord {
  readonly owners: string[];
}

/** Bound parameters per statement, well below SQLite's limit. */
const CHUNK = 400;

const HOST_VALUE = `(SELECT v."value" FROM "setting_values" v
    WHERE v."key_id" = k."id" AND v."valid_to" IS NULL
      AND v."namespace_id" = (SELECT "id" FROM "namespaces" WHERE "identity" = 'host'))`;

/**
 * What a new namespace gets (table namespace_defaults, written after each start-up probe) and the facts
 * preflight and "not inherited" read about keys: classification, the host's current value, the fresh child's
 * mode and value. Reads answer from the database alone (a copied database works the same).
 */
@Injectable()
export class PreflightRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
  ) {}

  /** Replaces the stored probe result with a new one, in one transaction. */
  async replaceDefaults(record: NamespaceDefaultsRecord): Promise<void> {
    const rows = [...record.childModes].map(([key, mode]) => [
      key,
      mode,
      record.childValues.get(key) ?? null,
      record.kernelRelease,
      record.probedAt,
    ]);
    await this.lock.exclusive(() =>
      runWriteTransaction(this.dataSource, async (em) => {
        await em.query(`DELETE FROM "namespace_defaults"`);
        for (const slice of chunked(rows, CHUNK / 5)) {
          await em.query(
            `INSERT INTO "namespace_defaults" ("key", "child_mode", "value", "kernel_release", "probed_at")
             VALUES ${slice.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
            slice.flat(),
          );
        }
      }),
    );
  }

  async defaultsStatus(): Promise<DefaultsStatus> {
    const rows: { kernel_release: string | null; probed_at: number | null; keys: number }[] =
      await this.dataSource.query(
        `SELECT max("kernel_release") AS "kernel_release", max("probed_at") AS "probed_at", count(*) AS "keys"
           FROM "namespace_defaults"`,
      );
    const row = rows[0];
    return {
      kernelRelease: row?.kernel_release ?? null,
      probedAt: row?.probed_at ?? null,
      keys: row?.keys ?? 0,
    };
  }

  /** Every namespaced key of the fresh child with a value, with its host value and classification. */
  async defaultRows(): Promise<DefaultRow[]> {
    const rows: {
      key: string;
      scope: Scope;
      volatile: number;
      child_mode: number;
      container: string | null;
      host: string | null;
    }[] = await this.dataSource.query(
      `SELECT d."key", k."scope", k."volatile", d."child_mode", d."value" AS "container", ${HOST_VALUE} AS "host"
         FROM "namespace_defaults" d JOIN "keys" k ON k."name" = d."key"
        WHERE k."scope" IN ('net', 'ipc', 'uts') AND d."value" IS NOT NULL`,
    );
    return rows.map((r) => ({
      key: r.key,
      scope: r.scope,
      volatile: r.volatile === 1,
      childMode: r.child_mode,
      host: r.host,
      container: r.container,
    }));
  }

  /** The facts of the named keys (the request's keys and their `lo` counterparts). */
  async keyFacts(names: readonly string[]): Promise<{
    facts: Map<string, KeyFacts>;
    catalogVisibility: Map<string, ChildVisibility | null>;
  }> {
    const unique = [...new Set(names)];
    const catalog = new Map<string, FactsRow>();
    const defaults = new Map<string, DefaultFactsRow>();
    for (const slice of chunked(unique, CHUNK)) {
      const marks = slice.map(() => '?').join(', ');
      const keyRows: FactsRow[] = await this.dataSource.query(
        `SELECT k."name", k."scope", k."child_visibility", ${HOST_VALUE} AS "host"
           FROM "keys" k WHERE k."name" IN (${marks})`,
        [...slice],
      );
      for (const row of keyRows) catalog.set(row.name, row);
      const defaultRows: DefaultFactsRow[] = await this.dataSource.query(
        `SELECT "key", "child_mode", "value" FROM "namespace_defaults" WHERE "key" IN (${marks})`,
        [...slice],
      );
      for (const row of defaultRows) defaults.set(row.key, row);
    }
    const probed = (await this.defaultsStatus()).keys > 0;
    const facts = new Map<string, KeyFacts>();
    for (const name of unique) {
      const row = catalog.get(name);
      const child = defaults.get(name);
      if (!row && !child) continue;
      facts.set(name, {
        onHost: row !== undefined,
        scope: row?.scope ?? null,
        childMode: child ? child.child_mode : probed ? null : undefined,
        hostValue: row?.host ?? null,
        childValue: child?.value ?? null,
      });
    }
    return {
      facts,
      catalogVisibility: new Map([...catalog].map(([name, row]) => [name, row.child_visibility])),
    };
  }

  /** The current values of the given keys in one namespace set. */
  async currentValues(namespaceId: number, keys: readonly string[]): Promise<Map<string, string | null>> {
    const values = new Map<string, string | null>();
    for (const slice of chunked(keys, CHUNK)) {
      const rows: { name: string; value: string | null }[] = await this.dataSource.query(
        `SELECT k."name", v."value" FROM "setting_values" v JOIN "keys" k ON k."id" = v."key_id"
          WHERE v."namespace_id" = ? AND v."valid_to" IS NULL AND k."name" IN (${slice.map(() => '?').join(', ')})`,
        [namespaceId, ...slice],
      );
      for (const row of rows) values.set(row.name, row.value);
    }
    return values;
  }

  /** Namespace sets other than the host seen by the last snapshot, with their container and netns names. */
  async runningSets(): Promise<RunningSet[]> {
    const rows: (Omit<RunningSet, 'owners'> & { owners: string | null })[] = await this.dataSource.query(
      `SELECT n."id", n."identity", n."kind", n."net_inode" AS "netInode", n."ipc_inode" AS "ipcInode",
              n."uts_inode" AS "utsInode", n."first_seen_at" AS "firstSeenAt", n."last_seen_at" AS "lastSeenAt",
              coalesce(n."started_at", n."first_seen_at") AS "startedAt", n."ended_at" AS "endedAt",
              (SELECT group_concat(o."name", ',') FROM "owners" o
                WHERE o."namespace_id" = n."id" AND o."kind" IN ('pod', 'container', 'netns')) AS "owners"
         FROM "namespaces" n
        WHERE n."identity" <> 'host' AND n."last_seen_at" = (SELECT max("taken_at") FROM "snapshots")
        ORDER BY n."id"`,
    );
    return rows.map((r) => ({ ...r, owners: r.owners ? r.owners.split(',') : [] }));
  }
}
