import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { readNamespaceSysctls } from '../../src/os/namespace-sysctl.reader.js';
import type { SysctlReading } from '../../src/domain/sysctl/sysctl-types.js';
import { readSysctlTree } from '../../src/os/sysctl-tree.reader.js';
import { pathsOwnedBy } from '../../src/domain/classification/namespace-owned-paths.js';
import { isVolatileKey } from '../../src/domain/classification/volatile-keys.js';
import { needsRoot } from '../helpers/privileges.js';

const NETNS = `kl-test-reader-${process.pid}`;

function valueOf(readings: readonly SysctlReading[], key: string): string | null | undefined {
  return readings.find((r) => r.key === key)?.value;
}

function hostValue(file: string): string | undefined {
  const full = `/proc/sys/${file}`;
  return existsSync(full) ? readFileSync(full, 'utf8').trim() : undefined;
}

/** Starts `unshare --ipc --uts` (no fork: the returned pid is the process in the new namespaces) and waits. */
async function startIpcUtsSleeper(): Promise<ChildProcess> {
  const script = 'hostname kl-uts-test && sysctl -qw kernel.shmmax=1234567 && echo ready && exec sleep 30';
  const child = spawn('unshare', ['--ipc', '--uts', 'sh', '-c', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (output += chunk));
  const deadline = Date.now() + 10_000;
  while (!output.includes('ready')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`unshare helper did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return child;
}

test('reads a named netns: its own values, init_net-only keys absent, mirrored globals equal', async (t) => {
  if (!needsRoot(t)) return;
  try {
    execFileSync('ip', ['netns', 'add', NETNS]);
    execFileSync('ip', ['netns', 'exec', NETNS, 'sysctl', '-qw', 'net.core.somaxconn=777']);
    execFileSync('ip', ['netns', 'exec', NETNS, 'sysctl', '-qw', 'net.ipv4.ip_local_port_range=20000 29999']);
    const result = await readNamespaceSysctls({
      procRoot: '/proc',
      enter: { net: `/run/netns/${NETNS}` },
      types: ['net'],
      timeoutMs: 10_000,
    });
    const { readings } = result;
    assert.equal(result.method, 'nsenter');
    assert.ok(result.durationMs > 0);
    assert.ok(readings.length > 300, `only ${readings.length} readings`);
    assert.ok(
      readings.every((r) => r.key.startsWith('net.')),
      'only net.* is read',
    );
    assert.equal(valueOf(readings, 'net.core.somaxconn'), '777');
    assert.equal(valueOf(readings, 'net.ipv4.ip_local_port_range'), '20000\t29999');
    assert.equal(valueOf(readings, 'net.core.netdev_max_backlog'), undefined, 'init_net-only key is absent');
    assert.equal(
      valueOf(readings, 'net.netfilter.nf_conntrack_max'),
      hostValue('net/netfilter/nf_conntrack_max'),
    );
    assert.ok(readings.some((r) => r.key === 'net.ipv4.conf.lo.forwarding'));
    assert.ok(!readings.some((r) => r.key.startsWith('net.ipv4.conf.eth0.')), 'host devices are not there');
    assert.deepEqual(
      readings.find((r) => r.key === 'net.ipv4.route.flush'),
      { key: 'net.ipv4.route.flush', access: 'write-only', value: null },
    );
    assert.notEqual(hostValue('net/core/somaxconn'), '777', 'the host was not touched');
  } finally {
    try {
      execFileSync('ip', ['netns', 'del', NETNS], { stdio: 'ignore' });
    } catch {
      // was never created
    }
  }
});

test('reads a process in its own IPC and UTS namespaces', async (t) => {
  if (!needsRoot(t)) return;
  let sleeper: ChildProcess | undefined;
  try {
    sleeper = await startIpcUtsSleeper();
    const ns = `/proc/${sleeper.pid}/ns`;
    const { readings } = await readNamespaceSysctls({
      procRoot: '/proc',
      enter: { ipc: `${ns}/ipc`, uts: `${ns}/uts` },
      types: ['ipc', 'uts'],
      timeoutMs: 10_000,
    });
    assert.equal(valueOf(readings, 'kernel.hostname'), 'kl-uts-test');
    assert.equal(valueOf(readings, 'kernel.shmmax'), '1234567');
    assert.equal(valueOf(readings, 'kernel.ostype'), 'Linux');
    assert.ok(readings.some((r) => r.key === 'fs.mqueue.queues_max'));
    assert.ok(!readings.some((r) => r.key.startsWith('net.')), 'net is not read');
    assert.ok(!readings.some((r) => r.key === 'kernel.pid_max'), 'global kernel keys are not read');
    assert.notEqual(hostValue('kernel/hostname'), 'kl-uts-test');
    assert.notEqual(hostValue('kernel/shmmax'), '1234567');
  } finally {
    if (sleeper && sleeper.exitCode === null) {
      const exited = once(sleeper, 'exit');
      sleeper.kill('SIGKILL');
      await exited;
    }
  }
});

test("on the agent's own namespaces the dump equals the in-process walk of the same keys", async (t) => {
  if (!needsRoot(t)) return;
  const ns = `/proc/${process.pid}/ns`;
  const types = ['net', 'ipc', 'uts'] as const;
  const { readings } = await readNamespaceSysctls({
    procRoot: '/proc',
    enter: { net: `${ns}/net`, ipc: `${ns}/ipc`, uts: `${ns}/uts` },
    types,
    timeoutMs: 10_000,
  });
  const owned = pathsOwnedBy(types);
  const keyPrefixes = owned.subtrees.map((p) => `${p.replaceAll('/', '.')}.`);
  const ownedFiles = new Set(owned.files.map((p) => p.replaceAll('/', '.')));
  const walked = readSysctlTree('/proc').filter(
    (r) => ownedFiles.has(r.key) || keyPrefixes.some((prefix) => r.key.startsWith(prefix)),
  );
  // Everything but the values of counters that may move between the two reads.
  const comparable = (list: readonly SysctlReading[]): string[] =>
    list.map((r) => JSON.stringify(isVolatileKey(r.key) ? { ...r, value: '(volatile)' } : r)).sort();
  assert.ok(walked.length > 500, `only ${walked.length} keys walked`);
  assert.deepEqual(comparable(readings), comparable(walked));
  // The cases grep alone cannot tell are there: write-only (asked of the mode) and unreadable (EIO).
  assert.ok(readings.some((r) => r.access === 'write-only'));
  assert.ok(readings.some((r) => r.access === 'unreadable' && r.error === 'EIO'));
});

test('a target whose process has exited rejects with a clear error', async (t) => {
  if (!needsRoot(t)) return;
  const gone = spawn('true');
  await once(gone, 'exit');
  await assert.rejects(
    readNamespaceSysctls({
      procRoot: '/proc',
      enter: { net: `/proc/${gone.pid}/ns/net` },
      types: ['net'],
      timeoutMs: 10_000,
    }),
    /target namespace vanished.*nsenter: cannot open \/proc\/\d+\/ns\/net: No such file or directory/,
  );
});

test('a helper that outlives the timeout is killed and the read rejects', async (t) => {
  if (!needsRoot(t)) return;
  await assert.rejects(
    readNamespaceSysctls({
      procRoot: '/proc',
      enter: { net: `/proc/${process.pid}/ns/net` },
      types: ['net'],
      timeoutMs: 1,
    }),
    /timed out after 1 ms/,
  );
});

test('inconsistent requests are refused before anything runs', async () => {
  const base = { procRoot: '/proc', timeoutMs: 1000 } as const;
  await assert.rejects(readNamespaceSysctls({ ...base, enter: {}, types: [] }), /no namespace type/);
  await assert.rejects(readNamespaceSysctls({ ...base, enter: {}, types: ['net'] }), /enter\.net must be/);
  await assert.rejects(
    readNamespaceSysctls({ ...base, enter: { net: 'run/netns/x' }, types: ['net'] }),
    /absolute path/,
  );
  await assert.rejects(
    readNamespaceSysctls({ ...base, enter: { net: '/run/netns/x', ipc: '/proc/1/ns/ipc' }, types: ['net'] }),
    /enter\.ipc given but 'ipc' is not in types/,
  );
});

test('an identical dump hands back the previous readings; a changed key gives new ones with its new value', async (t) => {
  if (!needsRoot(t)) return;
  const netns = `${NETNS}-again`;
  try {
    execFileSync('ip', ['netns', 'add', netns]);
    execFileSync('ip', ['netns', 'exec', netns, 'sysctl', '-qw', 'net.core.somaxconn=701']);
    const request = {
      procRoot: '/proc',
      enter: { net: `/run/netns/${netns}` },
      types: ['net'] as const,
      timeoutMs: 10_000,
    };
    const first = await readNamespaceSysctls({ ...request, types: [...request.types] });
    const second = await readNamespaceSysctls({ ...request, types: [...request.types], previous: first });
    assert.equal(second.digest, first.digest);
    assert.equal(second.readings, first.readings, 'the same array: nothing re-parsed');
    execFileSync('ip', ['netns', 'exec', netns, 'sysctl', '-qw', 'net.core.somaxconn=702']);
    const third = await readNamespaceSysctls({ ...request, types: [...request.types], previous: second });
    assert.notEqual(third.digest, second.digest);
    assert.notEqual(third.readings, second.readings);
    assert.equal(valueOf(third.readings, 'net.core.somaxconn'), '702');
    assert.equal(valueOf(second.readings, 'net.core.somaxconn'), '701', 'the earlier result is untouched');
  } finally {
    try {
      execFileSync('ip', ['netns', 'del', netns], { stdio: 'ignore' });
    } catch {
      // was never created
    }
  }
});

test('with sysvipc, the same helper returns the IPC objects of the entered IPC namespace', async (t) => {
  if (!needsRoot(t)) return;
  const script = 'ipcmk -M 4096 >/dev/null && ipcmk -Q >/dev/null && echo ready && exec sleep 30';
  const child = spawn('unshare', ['--ipc', 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    const result = await readNamespaceSysctls({
      procRoot: '/proc',
      enter: { ipc: `/proc/${child.pid}/ns/ipc` },
      types: ['ipc'],
      timeoutMs: 10_000,
      sysvipc: true,
    });
    assert.ok(result.readings.some((r) => r.key === 'kernel.shmmni'));
    assert.ok(
      result.readings.every((r) => !r.key.includes('sysvipc')),
      'the IPC files are not keys',
    );
    const text = result.sysvipc ?? '';
    const rows = (header: string): number => {
      const part = text.slice(text.indexOf(header));
      const lines = part.split('\n').slice(1);
      const end = lines.findIndex((l) => !/^\s*-?\d+\s/.test(l));
      return end === -1 ? lines.length : end;
    };
    assert.equal(rows('shmid'), 1, text);
    assert.equal(rows('msqid'), 1, text);
    assert.equal(rows('semid'), 0, text);
  } finally {
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
});
