import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  countErrorsBySource,
  countSetsByKind,
  deliveryOutcome,
  errorSource,
} from '../../../src/metrics/snapshot-counts.js';

test('collection errors count under their collector, discovery errors under discovery:<source>', () => {
  assert.equal(errorSource({ target: 'host', collector: 'conntrack', message: 'ENOENT' }), 'conntrack');
  assert.equal(errorSource({ source: 'docker', message: 'unreachable' }), 'discovery:docker');
  assert.equal(errorSource('boom'), 'unknown');
  assert.equal(errorSource({ collector: '' }), 'unknown');
  assert.deepEqual(
    [
      ...countErrorsBySource([
        { collector: 'sysctl', target: 'a', message: 'x' },
        { collector: 'sysctl', target: 'b', message: 'x' },
        { source: 'netns', message: 'y' },
      ]),
    ],
    [
      ['sysctl', 2],
      ['discovery:netns', 1],
    ],
  );
});

test('every namespace set kind has a count, 0 when absent', () => {
  assert.deepEqual(Object.fromEntries(countSetsByKind(['host', 'container', 'container'])), {
    host: 1,
    pod: 0,
    container: 2,
    netns: 0,
    process: 0,
  });
});

test('a delivery left pending after an attempt is a retry', () => {
  assert.equal(deliveryOutcome('pending'), 'retry');
  assert.equal(deliveryOutcome('delivered'), 'delivered');
  assert.equal(deliveryOutcome('failed'), 'failed');
});
