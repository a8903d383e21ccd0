import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseSysctlDump } from '../../../src/domain/sysctl/parse-sysctl-dump.js';
import type { SysctlReading } from '../../../src/domain/sysctl/sysctl-types.js';
import { repoPath } from '../../helpers/repo-path.js';

const fixtureDir = ['test', 'fixtures', 'namespace-dump'] as const;
const captured = {
  sysRoot: '/proc/sys',
  stdout: readFileSync(repoPath(...fixtureDir, 'stdout.bin'), 'utf8'),
  stderr: readFileSync(repoPath(...fixtureDir, 'stderr.txt'), 'utf8'),
};
const readings = parseSysctlDump(captured);
const byKey = new Map(readings.map((r) => [r.key, r]));

function reading(key: string): SysctlReading | undefined {
  return byKey.get(key);
}

test('every file of the captured dump becomes exactly one reading', () => {
  const modeRecords = captured.stdout.split('\0').filter((r) => /^[0-7]+ \//.test(r));
  assert.equal(modeRecords.length, 740);
  assert.equal(readings.length, 740);
  assert.equal(byKey.size, 740, 'no duplicate keys');
  const counts = { readable: 0, 'write-only': 0, unreadable: 0 };
  for (const r of readings) counts[r.access] += 1;
  assert.deepEqual(counts, { readable: 733, 'write-only': 3, unreadable: 4 });
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

test('an empty value and an empty file are readable with value ""', () => {
  assert.deepEqual(reading('kernel.domainname'), { key: 'kernel.domainname', access: 'readable', value: '' });
  assert.deepEqual(reading('vm.stat_refresh'), { key: 'vm.stat_refresh', access: 'readable', value: '' });
});

test('write-only files are listed with a null value', () => {
  for (const key of ['vm.drop_caches', 'net.ipv4.route.flush', 'net.ipv6.route.flush']) {
    assert.deepEqual(reading(key), { key, access: 'write-only', value: null });
  }
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

test('files that vanished between listing and reading are dropped; other errno texts are mapped', () => {
  const dump = {
    sysRoot: '/host/proc/sys',
    stdout: '644 /host/proc/sys/net/a\0' + '644 /host/proc/sys/net/b\0' + '644 /host/proc/sys/net/c\0',
    stderr:
      'grep: /host/proc/sys/net/a: No such file or directory\n' +
      'grep: /host/proc/sys/net/b: Permission denied\n' +
      'find: /host/proc/sys/kernel/sem_next_id: No such file or directory\n' +
      'grep: /host/proc/sys/net/c: Some new error\n',
  };
  assert.deepEqual(parseSysctlDump(dump), [
    { key: 'net.b', access: 'unreadable', value: null, error: 'EACCES' },
    { key: 'net.c', access: 'unreadable', value: null, error: 'EUNKNOWN' },
  ]);
});

test('mode records and values interleave when find runs grep in several batches', () => {
  const stdout = [
    '644 /proc/sys/net/a',
    '200 /proc/sys/net/flush',
    '644 /proc/sys/net/b',
    '/proc/sys/net/a',
    '1\n',
    '/proc/sys/net/b',
    '2\n',
    '444 /proc/sys/net/c',
    '/proc/sys/net/c',
    '3\t4\n',
    '',
  ].join('\0');
  assert.deepEqual(parseSysctlDump({ sysRoot: '/proc/sys', stdout, stderr: '' }), [
    { key: 'net.a', access: 'readable', value: '1' },
    { key: 'net.flush', access: 'write-only', value: null },
    { key: 'net.b', access: 'readable', value: '2' },
    { key: 'net.c', access: 'readable', value: '3\t4' },
  ]);
});

test('a value with NUL bytes arrives as several records and is joined back', () => {
  const dump = {
    sysRoot: '/proc/sys',
    stdout: '444 /proc/sys/x\0/proc/sys/x\0a\0/proc/sys/x\0b\n\0',
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
  assert.throws(bad('644 /proc/sys/x'), /truncated/);
  assert.throws(bad('644 /proc/sys/x\0/proc/sys/x\0'), /truncated/);
  assert.throws(bad('hello\0'), /malformed record/);
  assert.throws(bad('/proc/sys/x\0v\0'), /before its mode record/);
  assert.throws(bad('644 /etc/passwd\0'), /outside \/proc\/sys/);
});
