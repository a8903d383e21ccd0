import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadProcSysFixture, materializeProcRoot } from '../../helpers/proc-fixture.js';

const fixture = loadProcSysFixture();

test('the fixture unescapes values and keeps modes, write-only keys and read errors', () => {
  assert.deepEqual(fixture.get('fs.file-nr'), { mode: 0o444, value: '352\t0\t2466160' });
  assert.deepEqual(fixture.get('kernel.core_modes'), { mode: 0o444, value: 'file\npipe\nsocket' });
  assert.deepEqual(fixture.get('vm.drop_caches'), { mode: 0o200, value: null });
  assert.deepEqual(fixture.get('net.ipv6.conf.lo.stable_secret'), { mode: 0o600, value: null, error: 'EIO' });
  assert.equal(fixture.get('kernel.ns_last_pid')?.mode, 0o666);
});

test('materializeProcRoot writes a procfs-like tree with recorded modes and overrides', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kl-proc-fixture-'));
  try {
    const root = materializeProcRoot(dir, fixture, {
      'net.core.somaxconn': '1024',
      'net.ipv4.conf.eth0/100.forwarding': '1',
    });
    assert.equal(root, dir);
    const file = (...parts: string[]) => path.join(dir, 'sys', ...parts);
    assert.equal(readFileSync(file('fs', 'file-nr'), 'utf8'), '352\t0\t2466160\n');
    assert.equal(statSync(file('fs', 'file-nr')).mode & 0o7777, 0o444);
    assert.equal(readFileSync(file('net', 'core', 'somaxconn'), 'utf8'), '1024\n');
    assert.equal(statSync(file('net', 'core', 'somaxconn')).mode & 0o7777, 0o644);
    assert.equal(readFileSync(file('net', 'ipv4', 'conf', 'eth0.100', 'forwarding'), 'utf8'), '1\n');
    assert.equal(statSync(file('vm', 'drop_caches')).mode & 0o7777, 0o200);
    assert.equal(statSync(file('vm', 'drop_caches')).size, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('materializeProcRoot refuses keys that would escape the tree', () => {
  assert.throws(
    () => materializeProcRoot('/nonexistent', new Map(), { 'net..ipv4': '1' }),
    /not a sysctl key/,
  );
});
