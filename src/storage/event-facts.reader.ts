import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { IncidentFacts } from '../domain/webhooks/derive-incident-event.js';
import type { NamespaceFacts } from '../domain/webhooks/snapshot-facts.js';
import { chunked } from './chunked.js';
import type { IncidentRow as IncidentListRow } from './repositories/incidents.repository.js';

interface NamespaceOwnerRow {
  key: number | string;
  identity: string;
  nkind: string;
  kind: string | null;
  ref: string | null;
  name: string | null;
  image: string | null;
}

/** The incident's own columns (without the joined set identity and owners). */
type IncidentRow = Omit<IncidentListRow, 'identity' | 'owners'>;

/**
 * What events about kernel-log bursts and incidents name, read in the producer's transaction: namespace sets
 * with their owners, and incidents as stored.
 */
@Injectable()
export class EventFactsReader {
  /** The sets with these ids (their owners as stored, in insertion order); unknown ids are left out. */
  namespaces(em: EntityManager, ids: readonly number[]): Promise<Map<number, NamespaceFacts>> {
    return namespacesBy(em, 'id', ids);
  }

  /** The sets with these identities, keyed by identity; unknown ones are left out. */
  namespacesByIdentity(
    em: EntityManager,
    identities: readonly string[],
  ): Promise<Map<string, NamespaceFacts>> {
    return namespacesBy(em, 'identity', identities);
  }

  /** An incident as stored, with its set; null when there is no such incident. */
  async incident(em: EntityManager, id: number, key: string | null): Promise<IncidentFacts | null> {
    const rows: IncidentRow[] = await em.query(
      `SELECT "id", "title", "started_at", "ended_at", "namespace_id", "symptoms", "source", "signature", "created_at"
         FROM "incidents" WHERE "id" = ?`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    const namespace =
      row.namespace_id === null
        ? null
        : ((await this.namespaces(em, [row.namespace_id])).get(row.namespace_id) ?? null);
    return {
      id: row.id,
      title: row.title,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      symptoms: JSON.parse(row.symptoms) as string[],
      source: row.source,
      signature: row.signature,
      createdAt: row.created_at,
      key,
      namespace,
    };
  }
}

async function namespacesBy<K extends number | string>(
  em: EntityManager,
  column: 'id' | 'identity',
  keys: readonly K[],
): Promise<Map<K, NamespaceFacts>> {
  const found = new Map<K, { identity: string; kind: string; owners: NamespaceFacts['owners'][number][] }>();
  for (const chunk of chunked([...new Set(keys)], 500)) {
    const rows: NamespaceOwnerRow[] = await em.query(
      `SELECT n."${column}" AS "key", n."identity", n."kind" AS "nkind", o."kind", o."ref", o."name", o."image"
         FROM "namespaces" n LEFT JOIN "owners" o ON o."namespace_id" = n."id"
        WHERE n."${column}" IN (${chunk.map(() => '?').join(', ')}) ORDER BY n."id", o."id"`,
      chunk,
    );
    for (const r of rows) {
      const set = found.get(r.key as K) ?? { identity: r.identity, kind: r.nkind, owners: [] };
      if (r.kind !== null && r.ref !== null && r.name !== null)
        set.owners.push({ kind: r.kind, ref: r.ref, name: r.name, image: r.image });
      found.set(r.key as K, set);
    }
  }
  return found;
}
