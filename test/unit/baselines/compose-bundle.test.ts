import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BundleClassification } from '../../../src/domain/baselines/bundle-types.js';
import { composeBundle } from '../../../src/domain/baselines/compose-bundle.js';
import { DEFAULT_BUNDLE_LIMITS } from '../../../src/domain/baselines/bundle-types.js';
import { validateBundle } from '../../../src/domain/baselines/validate-bundle.js';

const global: BundleClassification = {
  scope: 'global',
  childVisibility: null,
  volatile: false,
  source: 'builtin',
};
const catalog = new Map<string, BundleClassification>([
  ['kernel.hostname', { ...global, scope: 'uts', childVisibility: 'isolated' }],
  ['kernel.osrelease', global],
  ['kernel.random.boot_id', { ...global, volatile: true }],
  ['net.core.somaxconn', { ...global, scope: 'net', childVisibility: 'isolated' }],
  ['vm.swappiness', global],
]);

test('host facts come from the host values; values and classification are sorted and limited to valued keys', () => {
  const bundle = composeBundle({
    exportedAt: Date.UTC(2026, 10, 29, 14, 5),
    at: Date.UTC(2026, 10, 29, 14, 3),
    catalog,
    host: new Map([
      ['net.core.somaxconn', '4096'],
      ['kernel.osrelease', '6.18.0'],
      ['kernel.hostname', 'prod-7'],
      ['kernel.random.boot_id', 'b0b0'],
      ['not.catalogued', '1'],
    ]),
  });
  assert.deepEqual(bundle.host, { hostname: 'prod-7', kernelRelease: '6.18.0', bootId: 'b0b0' });
  assert.equal(bundle.at, '2026-11-29T14:03:00.000Z');
  assert.deepEqual(Object.keys(bundle.values), [
    'kernel.hostname',
    'kernel.osrelease',
    'kernel.random.boot_id',
    'net.core.somaxconn',
  ]);
  assert.deepEqual(Object.keys(bundle.classification), Object.keys(bundle.values));
  assert.equal('namespaces' in bundle, false);
  assert.deepEqual(validateBundle(JSON.parse(JSON.stringify(bundle)), DEFAULT_BUNDLE_LIMITS), bundle);
});

test('namespace sets bring their own keys into the classification; missing facts are null', () => {
  const bundle = composeBundle({
    exportedAt: 0,
    at: 0,
    catalog,
    host: new Map(),
    namespaces: [
      { identity: 'netns:x', kind: 'netns', owners: [], values: new Map([['vm.swappiness', '60']]) },
    ],
  });
  assert.deepEqual(bundle.host, { hostname: null, kernelRelease: null, bootId: null });
  assert.deepEqual(Object.keys(bundle.classification), ['vm.swappiness']);
  assert.deepEqual(bundle.namespaces?.[0]?.values, { 'vm.swappiness': '60' });
});
