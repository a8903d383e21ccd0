import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { NewKey } from './snapshot.writer.js';
import { chunked } from './chunked.js';

interface CatalogRow {
  id: number;
  name: string;
}

/**
 * The key catalog's ids, cached in memory (the agent is the only writer). Ids of keys inserted in a
 * transaction become visible only after it commits (`commitPending`), so a rolled-back snapshot leaves no trace.
 */
@Injectable()
export class KeyCatalog {
  private readonly ids = new Map<string, number>();
  private pending = new Map<string, number>();
  private loaded = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async load(): Promise<void> {
    if (this.loaded) return;
    const rows: CatalogRow[] = await this.dataSource.query(`SELECT "id", "name" FROM "keys"`);
    for (const row of rows) this.ids.set(row.name, row.id);
    this.loaded = true;
  }

  has(name: string): boolean {
    return this.ids.has(name);
  }

  idOf(name: string): number | undefined {
    return this.ids.get(name);
  }

  /** Inserts keys not yet catalogued; returns the ids of the inserted ones. */
  async ensureKeys(
    em: EntityManager,
    keys: readonly NewKey[],
    seenAt: number,
  ): Promise<ReadonlyMap<string, number>> {
    this.pending = new Map();
    const fresh = keys.filter((k) => !this.ids.has(k.name));
    for (const rows of chunked(fresh, 400)) {
      const inserted: CatalogRow[] = await em.query(
        `INSERT INTO "keys" ("name", "scope", "volatile", "child_visibility", "classification_source", "access", "first_seen_at")
         VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')} RETURNING "id", "name"`,
        rows.flatMap((k) => [
          k.name,
          k.classification.scope,
          k.classification.volatile ? 1 : 0,
          k.classification.childVisibility,
          k.classification.source,
          k.access,
          seenAt,
        ]),
      );
      for (const row of inserted) this.pending.set(row.name, row.id);
    }
    return this.pending;
  }

  commitPending(): void {
    for (const [name, id] of this.pending) this.ids.set(name, id);
    this.pending = new Map();
  }
}
