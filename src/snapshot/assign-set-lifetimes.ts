import { lifetimeIdentity, matchSetLifetimes } from '../domain/namespaces/match-set-lifetimes.js';
import type { NamespaceSet } from '../domain/namespaces/namespace-types.js';
import { setEvidence } from '../domain/namespaces/set-evidence.js';
import type { Discovery } from '../os/namespace-discovery.js';
import type { LifetimeFacts, SetLifetimes } from '../storage/set-lifetimes.js';
import type { TargetRecord } from '../storage/snapshot.writer.js';

export interface AssignedLifetimes {
  /** The sets found now, each named by its lifetime identity (`net:…/ipc:…/uts:…`, `~2` on a reuse). */
  readonly sets: NamespaceSet[];
  /** By lifetime identity: the evidence and start of each set found now, the end of each set it replaced. */
  readonly facts: ReadonlyMap<string, LifetimeFacts>;
}

/**
 * Gives every set found now the identity of the lifetime it belongs to: the living set with the same inode
 * numbers when evidence proves it is the same namespace, else a new lifetime (`~<n>`). A replaced set is
 * then not seen under its identity, so the snapshot closes its values as for any set gone: no value of the
 * old namespace is compared with the new one's, and nothing is reported as changed.
 */
export async function assignSetLifetimes(
  store: SetLifetimes,
  discovery: Discovery,
  grouped: readonly NamespaceSet[],
  takenAt: number,
): Promise<AssignedLifetimes> {
  const evidence = setEvidence(discovery.host, discovery.owners);
  const matched = matchSetLifetimes(grouped, evidence, discovery.owners, await store.living(), takenAt);
  const sets: NamespaceSet[] = [];
  const facts = new Map<string, LifetimeFacts>();
  for (const m of matched) {
    const identity =
      m.continues ?? lifetimeIdentity(m.set.identity, (await store.lastOrdinalOf(m.set.identity)) + 1);
    sets.push(identity === m.set.identity ? m.set : { ...m.set, identity });
    facts.set(identity, {
      evidence: m.evidence,
      startedAt: m.startedAt,
      replaces: m.replaces?.identity ?? null,
    });
    if (m.replaces) facts.set(m.replaces.identity, { endedAt: m.startedAt });
  }
  return { sets, facts };
}

/** The record with its lifetime facts attached. */
export function withLifetime(record: TargetRecord, facts: ReadonlyMap<string, LifetimeFacts>): TargetRecord {
  const lifetime = facts.get(record.identity);
  return lifetime ? { ...record, lifetime } : record;
}
