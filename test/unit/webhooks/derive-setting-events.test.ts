import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveSnapshotEvents } from '../../../src/domain/webhooks/derive-snapshot-events.js';
import { DEFAULT_SATURATION_THRESHOLDS } from '../../../src/domain/webhooks/next-saturation-level.js';
import type { KeyFacts, SnapshotFacts, TargetFacts } from '../../../src/domain/webhooks/snapshot-facts.js';

const host: TargetFacts = {
  identity: 'host',
  kind: 'host',
  owners: [],
  vanished: false,
  appeared: false,
  changes: [
    { key: 'fs.aio-max-nr', kind: 'changed', before: '65536', after: '65537' },
    { key: 'net.netfilter.nf_conntrack_max', kind: 'changed', before: '262144', after: '131072' },
    { key: 'net.core.somaxconn', kind: 'changed', before: '4096', after: '1024' },
    { key: 'net.new.key', kind: 'added', before: undefined, after: '1' },
  ],
  changedAfter: Date.UTC(2025, 5, 1, 11, 59),
  samples: [],
};
const api: TargetFacts = {
  identity: 'net:1/ipc:2/uts:3',
  kind: 'container',
  owners: [{ kind: 'container', ref: 'abc123', name: 'api-7', image: 'api:1' }],
  vanished: false,
  appeared: true,
  changes: [{ key: 'net.netfilter.nf_conntrack_max', kind: 'changed', before: '262144', after: '131072' }],
  samples: [],
};
const sharesHostNet: TargetFacts = {
  ...api,
  identity: 'net:0/ipc:5/uts:6',
  appeared: false,
  changes: [],
  owners: [{ kind: 'container', ref: 'def', name: 'web', image: null }],
};
const gone: TargetFacts = {
  ...api,
  identity: 'net:8/ipc:8/uts:8',
  vanished: true,
  appeared: false,
  changes: [{ key: 'net.core.somaxconn', kind: 'removed', before: '1', after: undefined }],
};

const keys = new Map<string, KeyFacts>([
  ['fs.aio-max-nr', { scope: 'global', childVisibility: null, volatile: false }],
  ['net.netfilter.nf_conntrack_max', { scope: 'net', childVisibility: 'mirrored', volatile: false }],
  ['net.core.somaxconn', { scope: 'net', childVisibility: 'isolated', volatile: false }],
]);

const facts: SnapshotFacts = {
  snapshotId: 42,
  takenAt: Date.UTC(2025, 5, 1, 12),
  targets: [host, api, sharesHostNet, gone],
  keys,
  openValues: new Map([
    ['fs.aio-max-nr', new Map([['host', '65537']])],
    [
      'net.netfilter.nf_conntrack_max',
      new Map([
        ['host', '131072'],
        ['net:1/ipc:2/uts:3', '131072'],
      ]),
    ],
  ]),
  levels: new Map(),
};

const { events } = deriveSnapshotEvents(facts, DEFAULT_SATURATION_THRESHOLDS);

test('one setting.changed per changed key per live namespace set; added/removed keys raise none', () => {
  const changed = events.filter((e) => e.type === 'setting.changed');
  assert.deepEqual(
    changed.map((e) => [e.data.key, (e.data.namespace as { identity: string }).identity]),
    [
      ['fs.aio-max-nr', 'host'],
      ['net.netfilter.nf_conntrack_max', 'host'],
      ['net.core.somaxconn', 'host'],
      ['net.netfilter.nf_conntrack_max', 'net:1/ipc:2/uts:3'],
    ],
  );
});

test('payload: scope, visibility, isLimit, old/new, snapshot, and who sees a shared value', () => {
  const aio = events.find((e) => e.data.key === 'fs.aio-max-nr');
  assert.deepEqual(aio?.data, {
    key: 'fs.aio-max-nr',
    scope: 'global',
    childVisibility: null,
    isLimit: true,
    namespace: { identity: 'host', kind: 'host', owners: [] },
    old: '65536',
    new: '65537',
    // Made after the host's previous reading, at or before this snapshot.
    changedAfter: '2025-06-01T11:59:00.000Z',
    detectedAt: '2025-06-01T12:00:00.000Z',
    snapshot: { id: 42, takenAt: '2025-06-01T12:00:00.000Z' },
    seenBy: { namespaceSets: 3, containers: 2, of: 3 },
  });
  const somaxconn = events.find((e) => e.data.key === 'net.core.somaxconn');
  assert.equal(somaxconn?.data.isLimit, false);
  assert.equal(somaxconn?.data.seenBy, null, 'isolated keys have no shared audience');
  const inContainer = events.find(
    (e) => e.data.key === 'net.netfilter.nf_conntrack_max' && e.namespaces.includes('api-7'),
  );
  assert.deepEqual(inContainer?.namespaces, ['net:1/ipc:2/uts:3', 'api-7', 'abc123']);
  assert.deepEqual(inContainer?.keys, ['net.netfilter.nf_conntrack_max']);
});

test('volatile keys raise nothing even if a change slipped through', () => {
  const withVolatile: SnapshotFacts = {
    ...facts,
    targets: [{ ...host, changes: [{ key: 'fs.file-nr', kind: 'changed', before: '1', after: '2' }] }],
    keys: new Map([['fs.file-nr', { scope: 'global', childVisibility: null, volatile: true }]]),
  };
  assert.equal(deriveSnapshotEvents(withVolatile, DEFAULT_SATURATION_THRESHOLDS).events.length, 0);
});

test('namespace.appeared first, namespace.vanished last', () => {
  assert.equal(events[0]?.type, 'namespace.appeared');
  assert.equal(events.at(-1)?.type, 'namespace.vanished');
  assert.equal(events.filter((e) => e.type.startsWith('namespace.')).length, 2);
});
