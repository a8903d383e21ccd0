import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  findNotInherited,
  stillAtDefault,
  type DefaultRow,
} from '../../../src/domain/namespaces/not-inherited.js';
import { splitChildListing } from '../../../src/domain/namespaces/split-child-listing.js';
import { parseModeListing } from '../../../src/os/kernel-probe.js';

const row = (
  key: string,
  scope: DefaultRow['scope'],
  host: string,
  container: string,
  extra: Partial<DefaultRow> = {},
): DefaultRow => ({
  key,
  scope,
  volatile: false,
  childMode: 0o644,
  host,
  container,
  ...extra,
});

test('only namespaced, writable settings whose host value differs are not inherited', () => {
  const found = findNotInherited([
    row('net.core.somaxconn', 'net', '65535', '4096'),
    row('net.ipv4.tcp_rmem', 'net', '4096\t131072\t6291456', '4096 131072 6291456'),
    row('kernel.shmmni', 'ipc', '8192', '4096'),
    row('net.ipv4.tcp_ehash_entries', 'net', '262144', '-262144', { childMode: 0o444 }),
    row('net.netfilter.nf_conntrack_count', 'net', '12', '0', { volatile: true }),
    row('vm.swappiness', 'global', '10', '60'),
  ]);
  assert.deepEqual(
    found.map((f) => f.key),
    ['kernel.shmmni', 'net.core.somaxconn'],
  );
});

test('a running set is listed for the keys of the types it owns that still hold the default', () => {
  const keys = findNotInherited([
    row('net.core.somaxconn', 'net', '65535', '4096'),
    row('kernel.shmmni', 'ipc', '8192', '4096'),
  ]);
  const values = new Map([
    ['net.core.somaxconn', '4096'],
    ['kernel.shmmni', '8192'],
  ]);
  assert.deepEqual(
    stillAtDefault(keys, new Set(['net', 'ipc', 'uts']), values).map((k) => k.key),
    ['net.core.somaxconn'],
  );
  assert.deepEqual(stillAtDefault(keys, new Set(['ipc', 'uts']), values), []);
});

test('the probe child output splits into modes and values', () => {
  const stdout = [
    '644 net/core/somaxconn',
    '444 net/core/rmem_max',
    '=values',
    '/proc/sys/net/core/somaxconn',
    '4096\n',
    '/proc/sys/net/core/rmem_max',
    '212992\n',
    '',
  ].join('\0');
  const listing = splitChildListing(stdout, '/proc/sys', (text) => parseModeListing(text));
  assert.equal(listing.modes.get('net.core.somaxconn'), 0o644);
  assert.equal(listing.values.get('net.core.somaxconn'), '4096');
  assert.equal(listing.values.get('net.core.rmem_max'), '212992');
  assert.throws(
    () => splitChildListing('644 a/b\0', '/proc/sys', (t) => parseModeListing(t)),
    /no values part/,
  );
  assert.equal(splitChildListing('=values\0', '/proc/sys', (t) => parseModeListing(t)).modes.size, 0);
});
