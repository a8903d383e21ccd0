import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  digestDump,
  parseSysctlDump,
  parseSysctlDumpParts,
} from '../../../src/domain/sysctl/parse-sysctl-dump.js';
import type { SysctlReading } from '../../../src/domain/sysctl/sysctl-types.js';
import { loadNamespaceDumpFixture } from '../../helpers/namespace-dump-fixture.js';

const captured = loadNamespaceDumpFixture();
const readings = parseSysctlDump(captured);
const byKey = new Map(readings.map((r) => [r.key, r]));

function reading(key: string): SysctlReading | undefined {
  return byKey.get(key);
}

test('every file of the captured dump becomes exactly one reading', () => {
  const records = captured.stdout.split('\0');
  assert.equal(records.length, 2 * 732 + 1, '732 path/content pairs and the empty tail');
  assert.equal(readings.length, 739);
  assert.equal(byKey.size, 739, 'no duplicate keys');
  const counts = { readable: 0, 'write-only': 0, unreadable: 0, secret: 0 };
  for (const r of readings) counts[r.access] += 1;
  assert.deepEqual(counts, { readable: 732, 'write-only': 3, unreadable: 4, secret: 0 });
});

test('values are trimmed, multi-field values keep their tabs', () => {
  assert.deepEqual(reading('net.core.somaxconn'), {
    key: 'net.core.somaxconn',
    access: 'readable',
    value: '4096',
  });
  assert.equal(reading('kernel.hostname')?.value, 'kl-fixture');
  assert.match(reading('kernel.sem')?.value ?? '', /^\d+\t\d+\t\d+\t\d+$/);
  assert.match(reading('net.ipv4.ip_local_port_range')?.value ?? '', /^\d+\t\d+$/);
});

test('a multi-line value keeps its inner newlines', () => {
  assert.equal(reading('kernel.core_modes')?.value, 'file\npipe\nsocket');
});

test('an empty value is readable with value ""; an empty file is not in the dump (the known limit)', () => {
  assert.deepEqual(reading('kernel.domainname'), { key: 'kernel.domainname', access: 'readable', value: '' });
  assert.equal(reading('vm.stat_refresh'), undefined);
});

test('write-only files are listed with a null value', () => {
  for (const key of ['vm.drop_caches', 'net.ipv4.route.flush', 'net.ipv6.route.flush']) {
    assert.deepEqual(reading(key), { key, access: 'write-only', value: null });
  }
});

test('a denied file whose mode has read bits, or is unknown, is unreadable with EACCES', () => {
  const stderr = 'grep: /proc/sys/net/a: Permission denied\ngrep: /proc/sys/net/b: Permission denied\n';
  const modes = new Map([['/proc/sys/net/a', 0o600]]);
  assert.deepEqual(
    parseSysctlDump({ sysRoot: '/proc/sys', stdout: '', stderr, modeOf: (f) => modes.get(f) ?? null }),
    [
      { key: 'net.a', access: 'unreadable', value: null, error: 'EACCES' },
      { key: 'net.b', access: 'unreadable', value: null, error: 'EACCES' },
    ],
  );
});

test('files that fail to read are unreadable with their errno', () => {
  for (const device of ['all', 'default', 'lo', 'ifb0/5']) {
    const key = `net.ipv6.conf.${device}.stable_secret`;
    assert.deepEqual(reading(key), { key, access: 'unreadable', value: null, error: 'EIO' });
  }
});

test('a dot in a device name becomes a slash in the key', () => {
  assert.equal(reading('net.ipv4.conf.ifb0/5.forwarding')?.access, 'readable');
  assert.equal(reading('net.ipv6.conf.ifb0/5.mtu')?.value, '1500');
  assert.ok(!readings.some((r) => r.key.includes('ifb0.5')));
});

test('files that vanished during the walk are dropped; other errno texts are mapped; an error wins', () => {
  const dump = {
    sysRoot: '/host/proc/sys',
    stdout: '/host/proc/sys/net/d\0' + '7\n\0' + '/host/proc/sys/net/e\0' + '12\0',
    stderr:
      'grep: /host/proc/sys/net/a: No such file or directory\n' +
      'grep: /host/proc/sys/net/b: Permission denied\n' +
      'nsenter: something unrelated\n' +
      'grep: /host/proc/sys/net/c: Some new error\n' +
      'grep: /host/proc/sys/net/e: Input/output error\n',
  };
  assert.deepEqual(parseSysctlDump(dump), [
    { key: 'net.d', access: 'readable', value: '7' },
    { key: 'net.b', access: 'unreadable', value: null, error: 'EACCES' },
    { key: 'net.c', access: 'unreadable', value: null, error: 'EUNKNOWN' },
    { key: 'net.e', access: 'unreadable', value: null, error: 'EIO' },
  ]);
});

test('a value with NUL bytes arrives as several records and is joined back', () => {
  const dump = {
    sysRoot: '/proc/sys',
    stdout: '/proc/sys/x\0a\0/proc/sys/x\0b\n\0',
    stderr: '',
  };
  assert.deepEqual(parseSysctlDump(dump), [{ key: 'x', access: 'readable', value: 'a\0b' }]);
});

test('an empty dump gives no readings; truncated or foreign output throws', () => {
  assert.deepEqual(parseSysctlDump({ sysRoot: '/proc/sys', stdout: '', stderr: '' }), []);
  const bad =
    (stdout: string): (() => unknown) =>
    () =>
      parseSysctlDump({ sysRoot: '/proc/sys', stdout, stderr: '' });
  assert.throws(bad('/proc/sys/x'), /truncated/);
  assert.throws(bad('/proc/sys/x\0'), /truncated after \/proc\/sys\/x/);
  assert.throws(bad('hello\0world\0'), /malformed record/);
  assert.throws(bad('/etc/passwd\0root\0'), /outside \/proc\/sys/);
});

test('files read under asideRoot come back apart, whole, and their errors are not sysctl errors', () => {
  const shm = 'key shmid perms\n0 1 600\n';
  const parts = parseSysctlDumpParts({
    sysRoot: '/proc/sys',
    asideRoot: '/proc/sysvipc',
    stdout: `/proc/sys/kernel/shmmni\u00004096\n\u0000/proc/sysvipc/shm\u0000${shm}\u0000`,
    stderr: 'grep: /proc/sysvipc/msg: No such file or directory\n',
  });
  assert.deepEqual(parts.readings, [{ key: 'kernel.shmmni', access: 'readable', value: '4096' }]);
  assert.deepEqual([...parts.aside], [['/proc/sysvipc/shm', shm]]);
  assert.throws(
    () =>
      parseSysctlDump({ sysRoot: '/proc/sys', stdout: `/proc/sysvipc/shm\u0000${shm}\u0000`, stderr: '' }),
    /outside \/proc\/sys/,
    'without asideRoot a foreign path is still refused',
  );
});

test('a dump digest leaves out the contents set apart, and only those', () => {
  const dump = (count: string, somaxconn: string): Buffer =>
    Buffer.from(
      `/proc/sys/kernel/ns_last_pid\u0000${count}\n\u0000/proc/sys/net/core/somaxconn\u0000${somaxconn}\n\u0000`,
    );
  const apart = new Set(['/proc/sys/kernel/ns_last_pid']);
  const first = digestDump('head', dump('17', '4096'), apart);
  const counterMoved = digestDump('head', dump('18', '4096'), apart);
  const settingMoved = digestDump('head', dump('17', '4095'), apart);
  assert.ok(first && counterMoved && settingMoved);
  assert.equal(counterMoved.digest, first.digest);
  assert.deepEqual([...counterMoved.contents], [['/proc/sys/kernel/ns_last_pid', '18\n']]);
  assert.notEqual(settingMoved.digest, first.digest);
  assert.notEqual(digestDump('other head', dump('17', '4096'), apart)?.digest, first.digest);
  assert.notEqual(digestDump('head', dump('17', '4096'), new Set())?.digest, first.digest);
  const twice = Buffer.concat([dump('1', '1'), Buffer.from('/proc/sys/kernel/ns_last_pid\u00002\u0000')]);
  assert.equal(digestDump('head', twice, apart), null, 'a set-apart file listed twice');
  assert.equal(digestDump('head', Buffer.from('/proc/sys/x\u0000truncated'), apart), null);
  // The fixture: the same bytes, the same digest.
  const bytes = Buffer.from(captured.stdout);
  assert.equal(digestDump('h', bytes, apart)?.digest, digestDump('h', Buffer.from(bytes), apart)?.digest);
});
