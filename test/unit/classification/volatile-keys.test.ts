import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyKey } from '../../../src/domain/classification/classify-key.js';
import { isVolatileKey } from '../../../src/domain/classification/volatile-keys.js';
import { loadProcSysFixture } from '../../helpers/proc-fixture.js';

/** Keys whose value changed across four captures ~20 s apart on an idle 6.18.44 host (test/fixtures/README.md). */
const MEASURED_CHANGING = [
  'fs.dentry-state',
  'fs.inode-nr',
  'fs.inode-state',
  'kernel.ns_last_pid',
  'kernel.random.uuid',
];

const VOLATILE: readonly string[] = [
  ...MEASURED_CHANGING,
  'fs.file-nr',
  'fs.aio-nr',
  'fs.quota.lookups',
  'fs.quota.allocated_dquots',
  'net.netfilter.nf_conntrack_count',
  'kernel.random.boot_id',
  'kernel.random.entropy_avail',
  'kernel.random.write_wakeup_threshold',
  'kernel.pty.nr',
  'kernel.hung_task_detect_count',
];

const SETTINGS: readonly string[] = [
  'kernel.tainted',
  'kernel.msg_next_id',
  'fs.quota.warnings',
  'fs.file-max',
  'fs.aio-max-nr',
  'kernel.pty.max',
  'kernel.pid_max',
  'net.netfilter.nf_conntrack_max',
  'net.core.somaxconn',
  'vm.stat_refresh',
  'kernel.randomize_va_space',
  'kernel.random',
  'net.ipv4.conf.eth0.rp_filter',
];

for (const key of VOLATILE) {
  test(`${key} is volatile`, () => {
    assert.equal(isVolatileKey(key), true);
    assert.equal(classifyKey(key).volatile, true);
  });
}

for (const key of SETTINGS) {
  test(`${key} is a setting, not volatile`, () => {
    assert.equal(isVolatileKey(key), false);
    assert.equal(classifyKey(key).volatile, false);
  });
}

test('the measured keys exist in the fixture, and the volatile keys of the fixture are the expected ones', () => {
  const fixture = loadProcSysFixture();
  for (const key of MEASURED_CHANGING) assert.ok(fixture.has(key), key);
  const volatileInFixture = [...fixture.keys()].filter(isVolatileKey).sort();
  assert.deepEqual(volatileInFixture, [
    'fs.aio-nr',
    'fs.dentry-state',
    'fs.file-nr',
    'fs.inode-nr',
    'fs.inode-state',
    'fs.quota.allocated_dquots',
    'fs.quota.cache_hits',
    'fs.quota.drops',
    'fs.quota.free_dquots',
    'fs.quota.lookups',
    'fs.quota.reads',
    'fs.quota.syncs',
    'fs.quota.writes',
    'kernel.hung_task_detect_count',
    'kernel.ns_last_pid',
    'kernel.pty.nr',
    'kernel.random.boot_id',
    'kernel.random.entropy_avail',
    'kernel.random.poolsize',
    'kernel.random.urandom_min_reseed_secs',
    'kernel.random.uuid',
    'kernel.random.write_wakeup_threshold',
    'net.netfilter.nf_conntrack_count',
  ]);
});
