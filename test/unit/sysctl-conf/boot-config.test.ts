import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBootConfFiles } from '../../../src/os/sysctl-conf.reader.js';
import { parseSysctlConf } from '../../../src/domain/sysctl-conf/parse-sysctl-conf.js';
import { resolveConfiguredValues } from '../../../src/domain/sysctl-conf/resolve-configured-values.js';
import { findConfigDrift } from '../../../src/domain/sysctl-conf/find-config-drift.js';
import { repoPath } from '../../helpers/repo-path.js';

/** Keys of a small kernel: the fixture's configuration is resolved against these, as against a real walk. */
const KERNEL_KEYS = [
  'kernel.pid_max',
  'net.core.somaxconn',
  'vm.swappiness',
  'vm.overcommit_memory',
  'vm.max_map_count',
  'fs.file-max',
  'fs.protected_fifos',
  'net.netfilter.nf_conntrack_max',
  'net.ipv4.tcp_rmem',
  'net.ipv4.conf.all.rp_filter',
  'net.ipv4.conf.default.rp_filter',
  'net.ipv4.conf.lo.rp_filter',
  'net.ipv4.conf.eth0.rp_filter',
  'net.ipv4.conf.eth0/100.rp_filter',
  'net.ipv4.conf.eth0/100.forwarding',
];

function resolveFixture(name: string) {
  const files = readBootConfFiles(repoPath('test/fixtures/sysctl-conf', name));
  const parsed = files.map((f) => parseSysctlConf(f.file, f.text));
  return {
    files: files.map((f) => f.file),
    problems: parsed.flatMap((p) => p.problems),
    config: resolveConfiguredValues(
      parsed.flatMap((p) => p.assignments),
      KERNEL_KEYS,
    ),
  };
}

const precedence = resolveFixture('precedence');
const valueOf = (key: string) => precedence.config.values.get(key);

test('files: one per name from the first directory that has it, masked names dropped, sorted by name', () => {
  assert.deepEqual(precedence.files, [
    '/etc/sysctl.d/10-early.conf',
    '/run/sysctl.d/40-run.conf',
    '/etc/sysctl.d/50-default.conf',
    '/usr/local/lib/sysctl.d/70-local.conf',
    '/etc/sysctl.d/80-globs.conf',
    '/etc/sysctl.d/90-override.conf',
    '/etc/sysctl.d/99-sysctl.conf',
  ]);
});

test('a same-named file in /etc masks the vendor file whole, and a /dev/null link masks the name', () => {
  assert.deepEqual(valueOf('kernel.pid_max')?.value, '65536');
  assert.equal(valueOf('fs.protected_fifos'), undefined, 'only in the masked vendor file');
  assert.equal(valueOf('vm.swappiness'), undefined, 'masked by /etc/sysctl.d/60-masked.conf -> /dev/null');
  assert.equal(valueOf('vm.overcommit_memory'), undefined, 'a later directory cannot unmask a name');
});

test('a later file name wins over an earlier one whatever the directory; a later line over an earlier one', () => {
  assert.deepEqual(valueOf('net.core.somaxconn'), {
    key: 'net.core.somaxconn',
    value: '4096',
    source: { file: '/usr/local/lib/sysctl.d/70-local.conf', line: 2 },
    glob: null,
    ignoreFailure: false,
  });
  assert.deepEqual(valueOf('vm.max_map_count')?.source, { file: '/etc/sysctl.d/90-override.conf', line: 2 });
  assert.equal(valueOf('vm.max_map_count')?.value, '524288');
});

test('the same value assigned again keeps the first line as its source', () => {
  assert.deepEqual(valueOf('kernel.pid_max')?.source, { file: '/etc/sysctl.d/50-default.conf', line: 1 });
});

test('globs apply per segment; explicit keys and -key exclusions win over globs in any order', () => {
  const rp = (iface: string) => valueOf(`net.ipv4.conf.${iface}.rp_filter`);
  assert.equal(rp('eth0')?.value, '2');
  assert.equal(rp('eth0')?.glob, 'net.ipv4.conf.*.rp_filter');
  assert.equal(rp('eth0/100')?.value, '2', 'a VLAN device is one segment');
  assert.equal(rp('all'), undefined, 'excluded with -net.ipv4.conf.all.rp_filter');
  assert.equal(rp('lo')?.value, '0', 'explicit after the glob');
  assert.equal(rp('default')?.value, '1', 'explicit in an earlier file still wins over the glob');
  assert.equal(rp('default')?.glob, null);
});

test('slash-separated keys keep the dot of a segment; - marks an ignored failure', () => {
  assert.equal(valueOf('net.ipv4.conf.eth0/100.forwarding')?.value, '1');
  assert.equal(valueOf('net.netfilter.nf_conntrack_max')?.ignoreFailure, true);
  assert.equal(valueOf('net.ipv4.tcp_rmem')?.value, '4096 131072   6291456');
});

test('/etc/sysctl.conf is read once, through the sysctl.d link that names it', () => {
  assert.deepEqual(valueOf('fs.file-max')?.source, { file: '/etc/sysctl.d/99-sysctl.conf', line: 2 });
  const legacy = resolveFixture('legacy');
  assert.deepEqual(legacy.files, ['/etc/sysctl.d/10-x.conf', '/etc/sysctl.conf']);
  assert.deepEqual(legacy.config.values.get('fs.file-max')?.source, { file: '/etc/sysctl.conf', line: 1 });
  assert.equal(legacy.config.values.get('fs.file-max')?.value, '200');
});

test('a line that is not an assignment is a problem with its place; unknown keys are listed', () => {
  assert.deepEqual(precedence.problems, [
    {
      source: { file: '/etc/sysctl.d/80-globs.conf', line: 10 },
      message: 'line is not an assignment: not an assignment',
    },
  ]);
  assert.deepEqual(
    precedence.config.unknown.map((a) => [a.key, a.ignoreFailure]),
    [
      ['kernel.no_such_key', true],
      ['kernel.also_missing', false],
    ],
  );
});

test('drift: differing values with their source, tab-separated readings equal, unknown keys reported', () => {
  const runtime = new Map([
    ['kernel.pid_max', '65536'],
    ['net.core.somaxconn', '4096'],
    ['vm.max_map_count', '65530'],
    ['net.ipv4.tcp_rmem', '4096\t131072\t6291456'],
    ['net.ipv4.conf.eth0.rp_filter', '0'],
    ['fs.file-max', '2000000'],
  ]);
  const drift = findConfigDrift(precedence.config, runtime);
  assert.deepEqual(
    drift.map((d) => [d.key, d.kind, d.runtime, d.configured]),
    [
      ['kernel.also_missing', 'unknown-key', null, '5'],
      ['kernel.no_such_key', 'unknown-key', null, '1'],
      ['net.ipv4.conf.eth0.rp_filter', 'differs', '0', '2'],
      ['vm.max_map_count', 'differs', '65530', '524288'],
    ],
  );
  assert.deepEqual(drift[3]?.source, { file: '/etc/sysctl.d/90-override.conf', line: 2 });
});

test('a missing configuration root is an empty configuration', () => {
  assert.deepEqual(readBootConfFiles(repoPath('test/fixtures/sysctl-conf/none')), []);
});
