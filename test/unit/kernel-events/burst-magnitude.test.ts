import assert from 'node:assert/strict';
import { test } from 'node:test';
import { burstMagnitude } from '../../../src/domain/kernel-events/burst-magnitude.js';

test('the increase of each counter between the two readings', () => {
  assert.deepEqual(
    burstMagnitude(1000, 2000, [
      { metric: 'conntrack.drop.total', before: 4, after: 140 },
      { metric: 'conntrack.early_drop.total', before: 0, after: 0 },
    ]),
    { from: 1000, to: 2000, counters: { 'conntrack.drop.total': 136, 'conntrack.early_drop.total': 0 } },
  );
});

test('no counters, a counter that went down (another netns, a reset) or readings out of order: unknown', () => {
  assert.equal(burstMagnitude(1000, 2000, []), null);
  assert.equal(burstMagnitude(1000, 2000, [{ metric: 'conntrack.drop.total', before: 9, after: 3 }]), null);
  assert.equal(burstMagnitude(2000, 1000, [{ metric: 'conntrack.drop.total', before: 1, after: 3 }]), null);
});
