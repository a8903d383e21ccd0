import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compareClassifications,
  kernelReleaseCallout,
} from '../../../src/domain/baselines/compare-classifications.js';
import type { KeyClass } from '../../../src/domain/baselines/diff-against-baseline.js';

const here = new Map<string, KeyClass>([
  ['net.core.rmem_max', { scope: 'global', childVisibility: 'mirrored', volatile: false }],
  ['net.core.somaxconn', { scope: 'net', childVisibility: 'isolated', volatile: false }],
  ['kernel.pid_max', { scope: 'global', childVisibility: null, volatile: false }],
]);

test('keys both sides know with another scope or child visibility are listed by key', () => {
  const baseline = new Map<string, KeyClass>([
    ['net.core.somaxconn', { scope: 'net', childVisibility: 'isolated', volatile: true }],
    ['net.core.rmem_max', { scope: 'net', childVisibility: 'isolated', volatile: false }],
    ['kernel.pid_max', { scope: 'global', childVisibility: 'absent', volatile: false }],
    ['only.there', { scope: 'global', childVisibility: null, volatile: false }],
  ]);
  assert.deepEqual(compareClassifications(here, baseline), [
    {
      key: 'kernel.pid_max',
      here: { scope: 'global', childVisibility: null },
      baseline: { scope: 'global', childVisibility: 'absent' },
    },
    {
      key: 'net.core.rmem_max',
      here: { scope: 'global', childVisibility: 'mirrored' },
      baseline: { scope: 'net', childVisibility: 'isolated' },
    },
  ]);
});

test('the callout says when releases differ, and is silent when nothing does', () => {
  const differing = kernelReleaseCallout('6.18.0', '5.15.0', []);
  assert.equal(differing.differs, true);
  assert.match(
    differing.note ?? '',
    /this host runs Linux 6\.18\.0, the baseline was exported from Linux 5\.15\.0/,
  );
  assert.deepEqual(kernelReleaseCallout('6.18.0', '6.18.0', []), {
    here: '6.18.0',
    baseline: '6.18.0',
    differs: false,
    note: null,
    classificationDifferences: [],
  });
  assert.match(kernelReleaseCallout('6.18.0', null, []).note ?? '', /unknown on the baseline/);
  const diff = [
    {
      key: 'k',
      here: { scope: 'net', childVisibility: null },
      baseline: { scope: 'global', childVisibility: null },
    },
  ] as const;
  assert.match(kernelReleaseCallout('6.18.0', '6.18.0', diff).note ?? '', /same kernel release, but 1 key/);
});
