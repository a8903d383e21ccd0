import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffValueMaps, type ValueDifference } from '../../../src/domain/history/diff-value-maps.js';
import {
  groupInterfaceKeys,
  groupInterfaceKeysPerSet,
  interfaceOfKey,
  type KeySides,
} from '../../../src/domain/history/group-interface-keys.js';
import { loadProcSysFixture } from '../../helpers/proc-fixture.js';

/** The real host capture (test/fixtures/proc-sys.tsv): devices lo, eth0, ifb0, ifb1, plus all and default. */
const fixture = loadProcSysFixture();
const hostState = new Map([...fixture].map(([key, entry]) => [key, entry.value]));

/** The capture with every key of `from`'s device renamed to `to` (a veth has the same key list as eth0). */
function renamedDevice(state: ReadonlyMap<string, string | null>, from: string, to: string) {
  const out = new Map<string, string | null>();
  for (const [key, value] of state) {
    out.set(interfaceOfKey(key) === from ? key.replace(`.${from}.`, `.${to}.`) : key, value);
  }
  return out;
}

function withoutDevice(state: ReadonlyMap<string, string | null>, device: string) {
  return new Map([...state].filter(([key]) => interfaceOfKey(key) !== device));
}

const sides = (d: ValueDifference): KeySides =>
  d.kind === 'added' ? 'second' : d.kind === 'removed' ? 'first' : 'both';
const group = (differences: readonly ValueDifference[]) =>
  groupInterfaceKeys(differences, (d) => d.key, sides);

test('interfaceOfKey names the device of per-interface keys and leaves all, default and others alone', () => {
  assert.equal(interfaceOfKey('net.ipv4.conf.veth1a2b3c4.rp_filter'), 'veth1a2b3c4');
  assert.equal(interfaceOfKey('net.ipv6.conf.eth0/100.mtu'), 'eth0/100');
  assert.equal(interfaceOfKey('net.ipv4.neigh.docker0.gc_stale_time'), 'docker0');
  assert.equal(interfaceOfKey('net.ipv6.neigh.lo.retrans_time_ms'), 'lo');
  assert.equal(interfaceOfKey('net.mpls.conf.eth0.input'), 'eth0');
  assert.equal(interfaceOfKey('net.ipv4.conf.all.rp_filter'), null);
  assert.equal(interfaceOfKey('net.ipv6.conf.default.stable_secret'), null);
  assert.equal(interfaceOfKey('net.ipv4.neigh.default.gc_thresh3'), null);
  assert.equal(interfaceOfKey('net.core.somaxconn'), null);
  assert.equal(interfaceOfKey('net.ipv4.conf'), null);
});

test('every device of the real capture has its 130 keys grouped, all and default none', () => {
  const counts = new Map<string, number>();
  for (const key of fixture.keys()) {
    const device = interfaceOfKey(key);
    if (device !== null) counts.set(device, (counts.get(device) ?? 0) + 1);
  }
  assert.deepEqual(Object.fromEntries(counts), { eth0: 130, ifb0: 130, ifb1: 130, lo: 130 });
});

test('a device that appeared and one that vanished are one entry each, next to a real change', () => {
  const before = withoutDevice(renamedDevice(hostState, 'ifb1', 'veth1111'), 'veth2222');
  const after = new Map(renamedDevice(withoutDevice(hostState, 'ifb1'), 'ifb0', 'veth2222'));
  after.set('net.core.somaxconn', '1024');
  before.set('net.ipv4.conf.veth1111.forwarding', '1'); // its own values do not matter once gone
  const differences = diffValueMaps(before, after);
  assert.equal(differences.length, 1 + 130 + 130 + 130); // somaxconn, veth1111 gone, ifb0 gone, veth2222 new
  const grouped = group(differences);
  assert.deepEqual(
    grouped.keys.map((d) => d.key),
    ['net.core.somaxconn'],
  );
  assert.deepEqual(
    grouped.interfaces.map((i) => [i.name, i.kind, i.keyCount, i.keys.length]),
    [
      ['ifb0', 'vanished', 130, 0],
      ['veth1111', 'vanished', 130, 0],
      ['veth2222', 'appeared', 130, 0],
    ],
  );
});

test('a lasting device lists only its keys that really changed; all and default stay keys', () => {
  const after = new Map(hostState);
  after.set('net.ipv4.conf.eth0.forwarding', '1');
  after.set('net.ipv6.conf.eth0.mtu', '1300');
  after.set('net.ipv4.conf.all.forwarding', '1');
  const grouped = group(diffValueMaps(hostState, after));
  assert.deepEqual(
    grouped.keys.map((d) => d.key),
    ['net.ipv4.conf.all.forwarding'],
  );
  assert.equal(grouped.interfaces.length, 1);
  const [eth0] = grouped.interfaces;
  assert.equal(eth0?.kind, 'changed');
  assert.deepEqual(
    eth0?.keys.map((d) => [d.key, d.before, d.after]),
    [
      ['net.ipv4.conf.eth0.forwarding', '0', '1'],
      ['net.ipv6.conf.eth0.mtu', '1400', '1300'],
    ],
  );
});

test('keys a module adds to lasting devices are changes of those devices, not new devices', () => {
  const after = new Map(hostState);
  for (const device of ['lo', 'eth0']) after.set(`net.ipv6.conf.${device}.hypothetical_new_key`, '0');
  const grouped = group(diffValueMaps(hostState, after));
  assert.deepEqual(
    grouped.interfaces.map((i) => [i.name, i.kind, i.keys.map((d) => d.kind)]),
    [
      ['eth0', 'changed', ['added']],
      ['lo', 'changed', ['added']],
    ],
  );
});

test('per set: each set has its own devices (two containers both have an eth0), plain keys keep their order', () => {
  const withEth0 = diffValueMaps(withoutDevice(hostState, 'eth0'), hostState);
  const changes = [
    ...withEth0.map((d) => ({ set: 'c1', ...d })),
    { set: 'host', key: 'net.core.somaxconn', kind: 'changed' as const, before: '4096', after: '1024' },
    ...withEth0.map((d) => ({ set: 'c2', ...d })),
    { set: 'c2', key: 'net.ipv4.conf.all.forwarding', kind: 'changed' as const, before: '0', after: '1' },
  ];
  const grouped = groupInterfaceKeysPerSet(
    changes,
    (c) => c.set,
    (c) => c.key,
    sides,
  );
  assert.deepEqual(
    grouped.keys.map((c) => [c.set, c.key]),
    [
      ['host', 'net.core.somaxconn'],
      ['c2', 'net.ipv4.conf.all.forwarding'],
    ],
  );
  assert.deepEqual(
    grouped.interfaces.map((i) => [i.set, i.name, i.kind, i.keyCount]),
    [
      ['c1', 'eth0', 'appeared', withEth0.length],
      ['c2', 'eth0', 'appeared', withEth0.length],
    ],
  );
});
