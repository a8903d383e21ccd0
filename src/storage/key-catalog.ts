import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type KeyAccess, type KeyClassification, type Scope, SCOPES } from '../domain/sysctl/sysctl-types.js';
import { SharedStrings } from '../domain/sysctl/shared-strings.js';
import { chunked } from './chunked.js';

export interface NewKey {
  readonly name: string;
  readonly classification: KeyClassification;
  readonly evidence: unknown;
  readonly access: KeyAccess;
}

export interface Reclassification {
  readonly name: string;
  readonly classification: KeyClassification;
  readonly evidence: unknown;
}

interface CatalogRow {
  id: number;
  name: string;
  scope: Scope;
  classification_source: string;
}

interface CatalogEntry {
  readonly id: number;
  readonly scope: Scope;
  readonly source: string;
}

/**
 * The key catalog cached in memory (the agent is the only writer). Keys inserted or reclassified in a
 * transaction become visible only after it commits (`commitPending`), so a rolled-back snapshot leaves no trace.
 */
@Injectable()
export class KeyCatalog {
  private readonly entries = new Map<string, CatalogEntry>();
  private pending = new Map<string, CatalogEntry>();
  private loaded = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async load(): Promise<void> {
    if (this.loaded) return;
    const rows: CatalogRow[] = await this.dataSource.query(
      `SELECT "id", "name", "scope", "classification_source" FROM "keys"`,
    );
    for (const row of rows) this.entries.set(row.name, entryOf(row));
    this.loaded = true;
  }

  names(): IterableIterator<string> {
    return this.entries.keys();
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  idOf(name: string): number | undefined {
    return this.entries.get(name)?.id;
  }

  scopeOf(name: string): Scope | undefined {
    return this.entries.get(name)?.scope;
  }

  sourceOf(name: string): string | undefined {
    return this.entries.get(name)?.source;
  }

  /** Inserts keys not yet catalogued; returns the ids of the inserted ones. */
  async ensureKeys(
    em: EntityManager,
    keys: readonly NewKey[],
    seenAt: number,
  ): Promise<ReadonlyMap<string, number>> {
    this.pending = new Map();
    const fresh = keys.filter((k) => !this.entries.has(k.name));
    for (const rows of chunked(fresh, 300)) {
      const inserted: CatalogRow[] = await em.query(
        `INSERT INTO "keys" ("name", "scope", "volatile", "child_visibility", "classification_source", "evidence", "access", "first_seen_at")
         VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
         RETURNING "id", "name", "scope", "classification_source"`,
        rows.flatMap((k) => [
          k.name,
          k.classification.scope,
          k.classification.volatile ? 1 : 0,
          k.classification.childVisibility,
          k.classification.source,
          JSON.stringify(k.evidence),
          k.access,
          seenAt,
        ]),
      );
      for (const row of inserted) this.pending.set(row.name, entryOf(row));
    }
    return new Map([...this.pending].map(([name, entry]) => [name, entry.id]));
  }

  /** Updates the classification of catalogued keys (probe at start, or values observed to differ). */
  async reclassify(em: EntityManager, changes: readonly Reclassification[]): Promise<void> {
    for (const change of changes) {
      const entry = this.entries.get(change.name) ?? this.pending.get(change.name);
      if (!entry) continue;
      await em.query(
        `UPDATE "keys" SET "scope" = ?, "volatile" = ?, "child_visibility" = ?, "classification_source" = ?, "evidence" = ?
          WHERE "id" = ?`,
        [
          change.classification.scope,
          change.classification.volatile ? 1 : 0,
          change.classification.childVisibility,
          change.classification.source,
          JSON.stringify(change.evidence),
          entry.id,
        ],
      );
      this.pending.set(change.name, {
        id: entry.id,
        scope: change.classification.scope,
        source: change.classification.source,
      });
    }
  }

  commitPending(): void {
    for (const [name, entry] of this.pending) this.entries.set(name, entry);
    this.pending = new Map();
  }

  discardPending(): void {
    this.pending = new Map();
  }
}

/**
 * A catalog entry, its scope and source the one shared string of each: every row of the database brings its own
 * copies, and a 110-pod node's host has ~16,000 keys (~0.7 MB of copies of "net" and "probe").
 */
function entryOf(row: CatalogRow): CatalogEntry {
  return { id: row.id, scope: sharedScope(row.scope), source: SOURCES.of(row.classification_source) };
}

function sharedScope(scope: Scope): Scope {
  return SCOPES.find((known) => known === scope) ?? scope;
}

const SOURCES = new SharedStrings(16);
