import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { readSysctlTree, SysctlTreeMemo } from '../../../src/os/sysctl-tree.reader.js';
import { isVolatileKey } from '../../../src/domain/classification/volatile-keys.js';
import type { SysctlReading } from '../../../src/domain/sysctl/sysctl-types.js';

test('reads the real /proc/sys: values trimmed, write-only keys listed unread, EIO recorded', () => {
  const readings = readSysctlTree('/proc');
  const byKey = new Map(readings.map((r) => [r.key, r]));
  assert.ok(readings.length > 500, `only ${readings.length} keys`);
  const somaxconn = byKey.get('net.core.somaxconn');
  assert.equal(somaxconn?.access, 'readable');
  assert.match(somaxconn?.value ?? '', /^\d+$/);
  assert.deepEqual(byKey.get('vm.drop_caches'), { key: 'vm.drop_caches', access: 'write-only', value: null });
  const tcpMem = byKey.get('net.ipv4.tcp_mem')?.value ?? '';
  assert.match(tcpMem, /^\d+\s+\d+\s+\d+$/, 'multi-field values keep their fields');
  const secret = byKey.get('net.ipv6.conf.lo.stable_secret');
  if (secret) assert.deepEqual(secret, { key: secret.key, access: 'unreadable', value: null, error: 'EIO' });
});

test('reads a procfs root elsewhere and honours modes; dots in a segment become slashes', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'kl-walker-'));
  try {
    mkdirSync(path.join(root, 'sys', 'net', 'ipv4', 'conf', 'eth0.100'), { recursive: true });
    writeFileSync(path.join(root, 'sys', 'net', 'ipv4', 'conf', 'eth0.100', 'forwarding'), '1\n');
    mkdirSync(path.join(root, 'sys', 'vm'), { recursive: true });
    writeFileSync(path.join(root, 'sys', 'vm', 'drop_caches'), '');
    chmodSync(path.join(root, 'sys', 'vm', 'drop_caches'), 0o200);
    writeFileSync(path.join(root, 'sys', 'vm', 'swappiness'), '  60 \n');
    const readings = readSysctlTree(root).sort((a, b) => a.key.localeCompare(b.key));
    assert.deepEqual(readings, [
      { key: 'net.ipv4.conf.eth0/100.forwarding', access: 'readable', value: '1' },
      { key: 'vm.drop_caches', access: 'write-only', value: null },
      { key: 'vm.swappiness', access: 'readable', value: '60' },
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a missing procfs root throws instead of reporting an empty kernel', () => {
  assert.throws(() => readSysctlTree('/nonexistent-proc-root'), /ENOENT/);
});

test('values longer than the first small read are read whole, up to 64 KiB; exactly 4 KiB too', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'kl-walker-'));
  try {
    mkdirSync(path.join(root, 'sys', 'dev'), { recursive: true });
    const long = Array.from({ length: 2000 }, (_, i) => String(i)).join('\t'); // ~8.9 KB
    const exact = 'x'.repeat(4096);
    const huge = 'y'.repeat(70_000);
    writeFileSync(path.join(root, 'sys', 'dev', 'long'), `${long}\n`);
    writeFileSync(path.join(root, 'sys', 'dev', 'exact'), exact);
    writeFileSync(path.join(root, 'sys', 'dev', 'huge'), huge);
    const byKey = new Map(readSysctlTree(root).map((r) => [r.key, r.value]));
    assert.equal(byKey.get('dev.long'), long);
    assert.equal(byKey.get('dev.exact'), exact);
    assert.equal(byKey.get('dev.huge'), 'y'.repeat(65_536), 'capped at 64 KiB');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('on procfs the walk opens files relative to their directory and restores the working directory', async () => {
  const before = process.cwd();
  const onMainThread = readSysctlTree('/proc');
  assert.equal(process.cwd(), before, 'working directory restored');
  // A worker thread cannot change directory, so there the same walk opens absolute paths: the readings agree.
  const readerUrl = new URL('../../../src/os/sysctl-tree.reader.js', import.meta.url).href;
  const worker = new Worker(
    `import { parentPort } from 'node:worker_threads';
     const { readSysctlTree } = await import(${JSON.stringify(readerUrl)});
     parentPort.postMessage(readSysctlTree('/proc'));`,
    { eval: true },
  );
  const [inWorker] = (await once(worker, 'message')) as [SysctlReading[]];
  await worker.terminate();
  const comparable = (readings: readonly SysctlReading[]): string[] =>
    readings.map((r) => JSON.stringify(isVolatileKey(r.key) ? { ...r, value: '(volatile)' } : r)).sort();
  assert.ok(onMainThread.length > 500);
  assert.deepEqual(comparable(onMainThread), comparable(inWorker));
});

test('with a memo, a second walk hands back the readings it read the same, and reads changes, new and gone files', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'kl-walker-'));
  const file = (...parts: string[]): string => path.join(root, 'sys', ...parts);
  try {
    mkdirSync(file('net', 'ipv4', 'conf', 'veth1'), { recursive: true });
    mkdirSync(file('vm'), { recursive: true });
    writeFileSync(file('net', 'ipv4', 'conf', 'veth1', 'forwarding'), '1\n');
    writeFileSync(file('net', 'ipv4', 'conf', 'veth1', 'rp_filter'), '2\n');
    writeFileSync(file('vm', 'swappiness'), '60\n');
    writeFileSync(file('vm', 'label'), ' caf\u00e9\u00a0\n');
    const memo = new SysctlTreeMemo();
    const byKey = (readings: readonly SysctlReading[]): Map<string, SysctlReading> =>
      new Map(readings.map((r) => [r.key, r]));
    const first = byKey(readSysctlTree(root, { memo }));
    assert.equal(first.get('vm.label')?.value, 'caf\u00e9', 'Unicode spaces are trimmed as String#trim does');

    const same = byKey(readSysctlTree(root, { memo }));
    for (const [key, reading] of first)
      assert.equal(same.get(key), reading, `${key}: the same reading object`);

    writeFileSync(file('vm', 'swappiness'), '10\n');
    writeFileSync(file('net', 'ipv4', 'conf', 'veth1', 'arp_ignore'), '0\n');
    rmSync(file('net', 'ipv4', 'conf', 'veth1', 'rp_filter'));
    const changed = readSysctlTree(root, { memo }).sort((a, b) => a.key.localeCompare(b.key));
    assert.deepEqual(changed, [
      { key: 'net.ipv4.conf.veth1.arp_ignore', access: 'readable', value: '0' },
      { key: 'net.ipv4.conf.veth1.forwarding', access: 'readable', value: '1' },
      { key: 'vm.label', access: 'readable', value: 'caf\u00e9' },
      { key: 'vm.swappiness', access: 'readable', value: '10' },
    ]);
    assert.deepEqual(readSysctlTree(root, { memo }), readSysctlTree(root), 'a memo changes no reading');

    writeFileSync(file('net', 'ipv4', 'tcp_fastopen_key'), '00000000-00000000-00000000-00000000\n');
    const withSecret = readSysctlTree(root, { memo }).find((r) => r.key === 'net.ipv4.tcp_fastopen_key');
    const again = readSysctlTree(root, { memo }).find((r) => r.key === 'net.ipv4.tcp_fastopen_key');
    assert.deepEqual(again, withSecret);
    assert.notEqual(again, withSecret, "a secret's reading is not kept from one walk to the next");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
