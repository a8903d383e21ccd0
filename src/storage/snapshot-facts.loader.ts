import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Owner } from '../domain/namespaces/namespace-types.js';
import type {
  KeyFacts,
  OwnerSummary,
  SnapshotFacts,
  TargetFacts,
} from '../domain/webhooks/snapshot-facts.js';
import { chunked } from './chunked.js';
import { EventFactsReader } from './event-facts.reader.js';
import type { SnapshotRecord } from './snapshot.writer.js';
import { SaturationLevelsRepository } from './saturation-levels.repository.js';

interface KeyRow {
  name: string;
  scope: string;
  child_visibility: string | null;
  volatile: number | boolean;
}

/**
 * Completes a SnapshotRecord with what the writer did not carry, read in the snapshot's own transaction after
 * its rows are written: key classifications, open values of shared keys, which sets are new, the owners of
 * vanished sets, and the saturation levels before this snapshot.
 */
@Injectable()
export class SnapshotFactsLoader {
  constructor(
    private readonly levels: SaturationLevelsRepository,
    private readonly namespaces: EventFactsReader,
  ) {}

  async load(em: EntityManager, record: SnapshotRecord, snapshotId: number): Promise<SnapshotFacts> {
    const changedKeys = [
      ...new Set(
        record.targets.flatMap((t) => t.changes.filter((c) => c.kind === 'changed').map((c) => c.key)),
      ),
    ];
    const keys = await this.keyFacts(em, changedKeys);
    const shared = changedKeys.filter(
      (k) => keys.get(k)?.scope === 'global' || keys.get(k)?.childVisibility === 'mirrored',
    );
    const appeared = await this.appeared(em, record.takenAt, snapshotId);
    const vanishedOwners = await this.namespaces.namespacesByIdentity(
      em,
      record.targets.filter((t) => t.vanished).map((t) => t.identity),
    );
    const changedAfter = await this.changedAfter(em, snapshotId);
    const targets: TargetFacts[] = record.targets.map((t) => ({
      identity: t.identity,
      kind: t.vanished ? (vanishedOwners.get(t.identity)?.kind ?? t.kind) : t.kind,
      owners: t.vanished ? (vanishedOwners.get(t.identity)?.owners ?? []) : t.owners.map(summarizeOwner),
      netnsSharers: (t.netnsSharers ?? []).map(summarizeOwner),
      vanished: t.vanished,
      appeared: !t.vanished && appeared.has(t.identity),
      changes: t.changes,
      changedAfter: changedAfter.get(t.identity) ?? null,
      samples: t.samples,
    }));
    return {
      snapshotId,
      takenAt: record.takenAt,
      targets,
      keys,
      openValues: await this.openValues(em, shared),
      levels: await this.levels.load(em),
    };
  }

  /** Per set with a change in this snapshot, the previous reading the writer stored as its lower bound. */
  private async changedAfter(em: EntityManager, snapshotId: number): Promise<Map<string, number | null>> {
    const rows: { identity: string; after: number | null }[] = await em.query(
      `SELECT n."identity", max(v."changed_after") AS "after" FROM "setting_values" v
         JOIN "namespaces" n ON n."id" = v."namespace_id"
        WHERE v."opened_by" = ? GROUP BY v."namespace_id"`,
      [snapshotId],
    );
    return new Map(rows.map((r) => [r.identity, r.after]));
  }

  private async keyFacts(em: EntityManager, names: readonly string[]): Promise<Map<string, KeyFacts>> {
    const facts = new Map<string, KeyFacts>();
    for (const chunk of chunked(names, 500)) {
      const rows: KeyRow[] = await em.query(
        `SELECT "name", "scope", "child_visibility", "volatile" FROM "keys" WHERE "name" IN (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      for (const r of rows) {
        facts.set(r.name, {
          scope: r.scope,
          childVisibility: r.child_visibility,
          volatile: r.volatile === 1 || r.volatile === true,
        });
      }
    }
    return facts;
  }

  private async openValues(
    em: EntityManager,
    names: readonly string[],
  ): Promise<Map<string, Map<string, string | null>>> {
    const values = new Map<string, Map<string, string | null>>();
    for (const chunk of chunked(names, 500)) {
      const rows: { name: string; identity: string; value: string | null }[] = await em.query(
        `SELECT k."name", n."identity", v."value" FROM "setting_values" v
           JOIN "keys" k ON k."id" = v."key_id" JOIN "namespaces" n ON n."id" = v."namespace_id"
          WHERE v."valid_to" IS NULL AND k."name" IN (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      for (const r of rows) {
        const byIdentity = values.get(r.name) ?? new Map<string, string | null>();
        byIdentity.set(r.identity, r.value);
        values.set(r.name, byIdentity);
      }
    }
    return values;
  }

  /** Sets first seen by this snapshot; none for the very first snapshot (everything is new then). */
  private async appeared(em: EntityManager, takenAt: number, snapshotId: number): Promise<Set<string>> {
    const earlier: { n: number }[] = await em.query(
      `SELECT count(*) AS "n" FROM "snapshots" WHERE "id" < ?`,
      [snapshotId],
    );
    if ((earlier[0]?.n ?? 0) === 0) return new Set();
    const rows: { identity: string }[] = await em.query(
      `SELECT "identity" FROM "namespaces" WHERE "first_seen_at" = ?`,
      [takenAt],
    );
    return new Set(rows.map((r) => r.identity));
  }
}

function summarizeOwner(owner: Owner): OwnerSummary {
  switch (owner.kind) {
    case 'container':
      return { kind: 'container', ref: owner.id, name: owner.name, image: owner.image };
    case 'pod':
      return { kind: 'pod', ref: owner.uid, name: `${owner.namespace}/${owner.name}`, image: null };
    case 'netns':
      return { kind: 'netns', ref: owner.name, name: owner.name, image: null };
    case 'process':
      return { kind: 'process', ref: String(owner.pid), name: owner.command, image: null };
  }
}
