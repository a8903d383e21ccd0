import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chooseFullReads,
  type FullReadCandidate,
  fullReadPeriod,
} from '../../../src/domain/namespaces/choose-full-reads.js';

const sets = (n: number, at: (i: number) => number | null): FullReadCandidate[] =>
  Array.from({ length: n }, (_, i) => ({
    identity: `set-${String(i).padStart(3, '0')}`,
    lastFullReadAt: at(i),
  }));

test('the host is always read in full, even with no budget left', () => {
  const chosen = chooseFullReads([{ identity: 'host', lastFullReadAt: 5 }, ...sets(3, () => 1)], 1);
  assert.ok(chosen.has('host'));
  assert.equal(chosen.size, 2, 'the host does not spend the budget');
});

test('a budget of 0 reads every set in full', () => {
  const chosen = chooseFullReads(
    sets(50, (i) => i),
    0,
  );
  assert.equal(chosen.size, 50);
});

test('sets within the budget are all read in full every snapshot', () => {
  const chosen = chooseFullReads(
    sets(20, (i) => 1000 + i),
    22,
  );
  assert.equal(chosen.size, 20);
});

test('new sets are read in full at once beyond the budget, and spend it', () => {
  const known = sets(10, (i) => 100 + i);
  const fresh = [
    { identity: 'new-a', lastFullReadAt: null },
    { identity: 'new-b', lastFullReadAt: null },
    { identity: 'new-c', lastFullReadAt: null },
  ];
  const chosen = chooseFullReads([...known, ...fresh], 2);
  assert.deepEqual([...chosen].sort(), ['new-a', 'new-b', 'new-c']);
  const some = chooseFullReads([...known, fresh[0]!], 3);
  assert.deepEqual([...some].sort(), ['new-a', 'set-000', 'set-001']);
});

test('the oldest full reads go first, ties by identity', () => {
  const candidates: FullReadCandidate[] = [
    { identity: 'c', lastFullReadAt: 300 },
    { identity: 'b', lastFullReadAt: 100 },
    { identity: 'a', lastFullReadAt: 100 },
    { identity: 'd', lastFullReadAt: 200 },
  ];
  assert.deepEqual([...chooseFullReads(candidates, 3)], ['a', 'b', 'd']);
});

test('round-robin: every set is read in full within ceil(sets / budget) snapshots', () => {
  const last = new Map(sets(110, () => 0).map((c) => [c.identity, c.lastFullReadAt]));
  const budget = 22;
  const period = fullReadPeriod(110, budget);
  assert.equal(period, 5);
  const lastAt = new Map<string, number>();
  let longest = 0;
  for (let snapshot = 1; snapshot <= 40; snapshot += 1) {
    const chosen = chooseFullReads(
      [...last].map(([identity, lastFullReadAt]) => ({ identity, lastFullReadAt })),
      budget,
    );
    assert.equal(chosen.size, budget);
    for (const identity of chosen) {
      const previous = lastAt.get(identity);
      if (previous !== undefined) longest = Math.max(longest, snapshot - previous);
      lastAt.set(identity, snapshot);
      last.set(identity, snapshot * 60_000);
    }
  }
  assert.equal(lastAt.size, 110, 'every set was read in full');
  assert.equal(longest, period);
});

test('fullReadPeriod', () => {
  assert.equal(fullReadPeriod(20, 22), 1);
  assert.equal(fullReadPeriod(23, 22), 2);
  assert.equal(fullReadPeriod(500, 0), 1);
});

test('a set a kernel event named is read in full at once, and spends the budget', () => {
  const candidates: FullReadCandidate[] = [
    { identity: 'a', lastFullReadAt: 100 },
    { identity: 'b', lastFullReadAt: 200 },
    { identity: 'c', lastFullReadAt: 300, named: true },
  ];
  assert.deepEqual([...chooseFullReads(candidates, 1)], ['c']);
  assert.deepEqual([...chooseFullReads(candidates, 2)].sort(), ['a', 'c']);
});
