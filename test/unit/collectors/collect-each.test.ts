import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CollectionTarget, Collector } from '../../../src/collectors/collector.js';
import type { NamespaceSet } from '../../../src/domain/namespaces/namespace-types.js';
import { collectEach } from '../../../src/collectors/collector-runner.js';

function target(identity: string): CollectionTarget {
  return {
    set: {
      identity,
      kind: 'netns',
      inodes: { net: 1, ipc: null, uts: null },
      differingTypes: ['net'],
      entry: {},
      pid: null,
      owners: [],
    } as unknown as NamespaceSet,
    procRoot: '/proc',
    timeoutMs: 1000,
  };
}

/** A collector that answers each target after `delayMs(identity)`, counting the reads in flight. */
function slowCollector(delayMs: (identity: string) => number): Collector & { peak: number } {
  let inFlight = 0;
  const collector = {
    id: 'sysctl',
    peak: 0,
    async collect(t: CollectionTarget) {
      inFlight++;
      collector.peak = Math.max(collector.peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delayMs(t.set.identity)));
      inFlight--;
      return { readings: [{ key: `k.${t.set.identity}`, access: 'readable' as const, value: '1' }] };
    },
  };
  return collector;
}

test('each collection is reduced as it completes; results keep target order; concurrency is bounded', async () => {
  const targets = ['a', 'b', 'c', 'd', 'e'].map(target);
  const collector = slowCollector((id) => (id === 'a' ? 40 : 5));
  const completed: string[] = [];
  const results = await collectEach([collector], targets, 2, (collection, index) => {
    completed.push(collection.target.set.identity);
    return Promise.resolve(`${index}:${collection.readings[0]?.key}`);
  });
  assert.deepEqual(results, ['0:k.a', '1:k.b', '2:k.c', '3:k.d', '4:k.e']);
  assert.notEqual(completed[0], 'a', 'a slow target does not hold back the reduction of the others');
  assert.equal(collector.peak, 2);
});

test('a failed reduction fails the pass once the reads in flight have ended, and starts no new read', async () => {
  const targets = ['a', 'b', 'c', 'd'].map(target);
  const collector = slowCollector((id) => (id === 'a' ? 5 : 30));
  const reduced: string[] = [];
  await assert.rejects(
    collectEach([collector], targets, 2, (collection) => {
      const id = collection.target.set.identity;
      reduced.push(id);
      return id === 'a' ? Promise.reject(new Error('state unreadable')) : Promise.resolve(id);
    }),
    /state unreadable/,
  );
  assert.deepEqual(reduced, ['a', 'b'], 'b was in flight and ended; c and d were never read');
});
