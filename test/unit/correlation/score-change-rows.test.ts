import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changeRowsOf } from '../../../src/domain/correlation/change-rows.js';
import type { ChangeEvidence } from '../../../src/domain/correlation/evidence-types.js';
import { canonicalKey } from '../../../src/domain/correlation/limit-keys.js';
import { changeEvidenceOf, scoreChangeRows } from '../../../src/domain/correlation/score-change-rows.js';
import { scoreChanges } from '../../../src/domain/correlation/score-evidence.js';

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);
const CONTEXT = { namespace: null, containerScoped: false, startedAt: T0 };
// An aliased pair (one kernel variable, two names), a limit key and a plain key.
const KEYS = [
  'net.nf_conntrack_max',
  'net.netfilter.nf_conntrack_max',
  'net.core.somaxconn',
  'kernel.hostname',
];
const SETS = ['host', 'net:1/ipc:2/uts:3', 'net:4/ipc:5/uts:6'];
const VALUES = ['1024', '4096', '65536', null];

/** A deterministic pseudo-random sequence (xorshift), so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** What the report scored before change rows: scoreChanges per canonical key and set, same change once. */
function byObjects(changes: readonly ChangeEvidence[]): Map<string, number[]> {
  const seen = new Set<string>();
  const groups = new Map<string, Map<string, ChangeEvidence[]>>();
  for (const original of changes) {
    const key = canonicalKey(original.key);
    const item = { ...original, key };
    const id = `${key}\u0000${item.namespace}\u0000${item.at}\u0000${item.before}\u0000${item.after}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const sets = groups.get(key) ?? new Map<string, ChangeEvidence[]>();
    groups.set(key, sets);
    sets.set(item.namespace, [...(sets.get(item.namespace) ?? []), item]);
  }
  return new Map(
    [...groups].map(([key, sets]) => [key, [...sets.values()].map((list) => scoreChanges(list, CONTEXT))]),
  );
}

test('change rows score each key and set as scoreChanges does, ties in time and aliases included', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const next = random(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const changes: ChangeEvidence[] = Array.from({ length: 1 + Math.floor(next() * 30) }, () => ({
      kind: 'changed',
      key: pick(KEYS),
      namespace: pick(SETS),
      owners: [],
      before: pick(VALUES),
      after: pick(VALUES),
      // Few instants, some at the start itself: ties and both sides of the start.
      at: T0 + (Math.floor(next() * 7) - 3) * 60_000,
      changedAfter: null,
      changedBy: 0,
    }));
    const rows = scoreChangeRows(changeRowsOf(changes), T0);
    assert.deepEqual(new Map(rows.setScores), byObjects(changes), `seed ${seed}`);
    const evidence = changeEvidenceOf(rows, new Set(rows.setScores.keys()));
    const kept = [...evidence.values()].reduce((n, list) => n + list.length, 0);
    assert.equal(
      kept,
      rows.kept.reduce((n, k) => n + k, 0),
      `seed ${seed}: every kept change is evidence`,
    );
  }
});

test('the scoring of one rows object is kept for its incident start, and redone for another', () => {
  const rows = changeRowsOf([
    {
      kind: 'changed',
      key: 'net.core.somaxconn',
      namespace: 'host',
      owners: [],
      before: '4096',
      after: '128',
      at: T0,
    },
  ]);
  const first = scoreChangeRows(rows, T0);
  assert.equal(scoreChangeRows(rows, T0), first);
  const later = scoreChangeRows(rows, T0 - 60_000);
  assert.notEqual(later, first);
  assert.deepEqual(later.setScores.get('net.core.somaxconn'), [15], 'after the start: 10, +5 for less room');
  assert.deepEqual(
    first.setScores.get('net.core.somaxconn'),
    [35],
    'before the start: 25, +10 for less room',
  );
});
