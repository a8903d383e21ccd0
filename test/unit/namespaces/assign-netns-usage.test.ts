import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assignNetnsUsage } from '../../../src/domain/namespaces/assign-netns-usage.js';
import type { NamespaceSet } from '../../../src/domain/namespaces/namespace-types.js';

const set = (
  identity: string,
  kind: NamespaceSet['kind'],
  pid: number | null,
  net: number,
): NamespaceSet => ({
  identity,
  kind,
  inodes: { net, ipc: 2, uts: 3 },
  differingTypes: identity === 'host' ? [] : ['net', 'uts'],
  entry: {},
  pid,
  owners: [{ kind: 'process', pid: pid ?? 0, command: identity }],
});

const HOST = set('host', 'host', 1, 1);
const CONTAINER = set('net:10/ipc:11/uts:12', 'container', 500, 10);
const SHELL = set('net:10/ipc:2/uts:13', 'process', 400, 10);
const ALONE = set('net:20/ipc:2/uts:3', 'netns', null, 20);

test('one holder per shared netns: the container over a shell that joined it, whatever their pids', () => {
  const roles = assignNetnsUsage([HOST, SHELL, CONTAINER, ALONE], () => false);
  assert.equal(roles.has('host'), false, "the host set measures the host's netns");
  assert.deepEqual(roles.get(CONTAINER.identity), { holder: true, sharers: SHELL.owners });
  assert.deepEqual(roles.get(SHELL.identity), { holder: false, sharers: CONTAINER.owners });
  assert.deepEqual(roles.get(ALONE.identity), { holder: true, sharers: [] });
});

test('the set that already holds the series keeps it', () => {
  const roles = assignNetnsUsage([CONTAINER, SHELL], (identity) => identity === SHELL.identity);
  assert.equal(roles.get(SHELL.identity)?.holder, true);
  assert.equal(roles.get(CONTAINER.identity)?.holder, false);
});
