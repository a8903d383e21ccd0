import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NAMESPACED_NON_NET_KEYS } from '../../../src/domain/classification/builtin-classification.js';
import { pathsOwnedBy } from '../../../src/domain/classification/namespace-owned-paths.js';
import { loadProcSysFixture } from '../../helpers/proc-fixture.js';

const UTS_FILES = [
  'kernel/arch',
  'kernel/domainname',
  'kernel/hostname',
  'kernel/osrelease',
  'kernel/ostype',
  'kernel/version',
];

test('net owns the whole net directory', () => {
  assert.deepEqual(pathsOwnedBy(['net']), { subtrees: ['net'], files: [] });
});

test('uts owns the six UTS strings', () => {
  assert.deepEqual(pathsOwnedBy(['uts']), { subtrees: [], files: UTS_FILES });
});

test('ipc owns the SysV IPC keys and the mqueue directory', () => {
  const { subtrees, files } = pathsOwnedBy(['ipc']);
  assert.deepEqual(subtrees, ['fs/mqueue']);
  assert.ok(files.includes('kernel/shmmax'));
  assert.ok(files.includes('kernel/sem'));
  assert.ok(files.includes('kernel/msg_next_id'));
  assert.equal(files.length, 12, 'the 17 ipc keys minus the 5 fs.mqueue ones');
  assert.ok(files.every((f) => f.startsWith('kernel/')));
});

test('combinations are merged, sorted and free of duplicates; nothing for no types', () => {
  const all = pathsOwnedBy(['uts', 'net', 'ipc', 'uts']);
  assert.deepEqual(all.subtrees, ['fs/mqueue', 'net']);
  assert.deepEqual(all.files, [...pathsOwnedBy(['ipc']).files, ...UTS_FILES].sort());
  assert.deepEqual(pathsOwnedBy([]), { subtrees: [], files: [] });
});

test('the paths cover exactly the ipc and uts keys of the built-in table, all present on the captured kernel', () => {
  const fixture = loadProcSysFixture();
  const { subtrees, files } = pathsOwnedBy(['ipc', 'uts']);
  const keyOf = (p: string): string => p.replaceAll('/', '.');
  const covered = [...fixture.keys()].filter(
    (key) => files.some((f) => keyOf(f) === key) || subtrees.some((s) => key.startsWith(`${keyOf(s)}.`)),
  );
  assert.deepEqual(covered.sort(), [...NAMESPACED_NON_NET_KEYS.ipc, ...NAMESPACED_NON_NET_KEYS.uts].sort());
});
