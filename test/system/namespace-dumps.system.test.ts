import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readlinkSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { NamespaceDumps } from '../../src/collectors/namespace-dump.js';
import { SysctlCollector } from '../../src/collectors/sysctl.collector.js';
import type { CollectionTarget } from '../../src/collectors/collector.js';
import type { SysctlReading } from '../../src/domain/sysctl/sysctl-types.js';
import { needsRoot } from '../helpers/privileges.js';

function valueOf(readings: readonly SysctlReading[] | undefined, key: string): string | null | undefined {
  return readings?.find((r) => r.key === key)?.value;
}

/*
 * A set with its own netns and pid namespace, as a pod sandbox has: its helper enters the pid namespace, so
 * kernel.ns_last_pid moves with every read. The remembered dump must still be recognised (only the counter
 * changes), and a setting changed between two reads must come out with its new value.
 */
test('a remembered dump gives the moved counter and every changed setting, and keeps the rest', async (t) => {
  if (!needsRoot(t)) return;
  const child = spawn('unshare', ['--net', '--pid', '--fork', 'sh', '-c', 'echo ready && exec sleep 60'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (output += chunk));
    const deadline = Date.now() + 10_000;
    while (!output.includes('ready')) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`unshare did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // unshare --fork: the sleeper is unshare's child, pid 1 of the new pid namespace.
    const sleeper = Number(
      execFileSync('pgrep', ['-P', String(child.pid), 'sleep'], { encoding: 'utf8' })
        .trim()
        .split('\n')[0],
    );
    const ns = (type: string): string => `/proc/${sleeper}/ns/${type}`;
    assert.notEqual(readlinkSync(ns('pid')), readlinkSync('/proc/self/ns/pid'));
    const collector = new SysctlCollector(new NamespaceDumps());
    const target = (): CollectionTarget => ({
      set: {
        identity: 'net:1/ipc:2/uts:3',
        kind: 'process',
        inodes: { net: 1, ipc: 2, uts: 3 },
        differingTypes: ['net'],
        entry: { net: ns('net') },
        pid: sleeper,
        owners: [],
      },
      procRoot: '/proc',
      timeoutMs: 10_000,
      keyNamespaces: { pid: { inode: statSync(ns('pid')).ino, file: ns('pid') } },
    });
    const first = (await collector.collect(target())).readings;
    const second = (await collector.collect(target())).readings;
    const lastPid = (readings: typeof first): number => Number(valueOf(readings, 'kernel.ns_last_pid'));
    assert.ok(lastPid(second) > lastPid(first), 'each read starts a process in the pid namespace');
    const somaxconn = (readings: typeof first): SysctlReading | undefined =>
      readings?.find((r) => r.key === 'net.core.somaxconn');
    assert.equal(somaxconn(second), somaxconn(first), 'an unchanged setting is the remembered reading');
    assert.equal(second?.length, first?.length);
    execFileSync('nsenter', [`--net=${ns('net')}`, 'sysctl', '-qw', 'net.core.somaxconn=703']);
    const third = (await collector.collect(target())).readings;
    assert.equal(valueOf(third, 'net.core.somaxconn'), '703');
    assert.ok(lastPid(third) > lastPid(second));
    assert.equal(
      valueOf(second, 'net.core.somaxconn') === '703',
      false,
      'the earlier readings are untouched',
    );
    collector.retain(new Set());
    const afterForget = (await collector.collect(target())).readings;
    assert.equal(valueOf(afterForget, 'net.core.somaxconn'), '703');
  } finally {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
});
