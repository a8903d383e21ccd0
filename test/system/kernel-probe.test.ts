import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { classifyKey } from '../../src/domain/classification/classify-key.js';
import {
  probeInputFor,
  reconcileClassification,
  summarizeProbe,
} from '../../src/domain/classification/reconcile-classification.js';
import { KernelProbeError, probeKernel } from '../../src/os/kernel-probe.js';
import { needsRoot } from '../helpers/privileges.js';

const TIMEOUT_MS = 10_000;

function pids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

function readOrNull(read: () => string): string | null {
  try {
    return read();
  } catch {
    return null; // the process exited while we looked
  }
}

/** Processes whose parent is this test process. */
function ourChildren(): number[] {
  return pids().filter((pid) => {
    const stat = readOrNull(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
    const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields !== undefined && Number(fields[1]) === process.pid;
  });
}

/** net/ipc/uts namespace identities (`net:[4026531833]`) held by any process. */
function namespaceIds(): Set<string> {
  const ids = new Set<string>();
  for (const pid of pids()) {
    for (const type of ['net', 'ipc', 'uts']) {
      const id = readOrNull(() => readlinkSync(`/proc/${pid}/ns/${type}`));
      if (id !== null) ids.add(id);
    }
  }
  return ids;
}

/** nsfs bind mounts (`ip netns add` style) would keep a namespace alive without a process. */
function nsfsMounts(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((line) => line.includes(' - nsfs '));
}

/** New namespaces held by processes started from this one (unshare/find), the only ones the probe could leak. */
function leakedNamespaces(before: ReadonlySet<string>): string[] {
  const fresh = [...namespaceIds()].filter((id) => !before.has(id));
  const ours = new Set(
    ourChildren().flatMap((pid) =>
      ['net', 'ipc', 'uts'].map((type) => readOrNull(() => readlinkSync(`/proc/${pid}/ns/${type}`))),
    ),
  );
  return fresh.filter((id) => ours.has(id));
}

test('the probe of this kernel classifies conntrack, backlog and somaxconn, and leaves nothing behind', async (t) => {
  if (!needsRoot(t)) return;
  const namespacesBefore = namespaceIds();
  const mountsBefore = nsfsMounts();

  const probe = await probeKernel('/proc', TIMEOUT_MS);

  assert.equal(probe.kernelRelease, readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim());
  assert.ok(probe.hostModes.size > probe.childModes.size, 'the host lists more keys than a fresh child');
  const classify = (key: string) => reconcileClassification(key, classifyKey(key), probeInputFor(key, probe));

  const conntrack = classify('net.netfilter.nf_conntrack_max');
  assert.deepEqual(
    [
      conntrack.classification.scope,
      conntrack.classification.childVisibility,
      conntrack.classification.source,
    ],
    ['global', 'mirrored', 'probe'],
  );
  assert.equal(conntrack.evidence.method, 'unshare-probe');
  assert.equal(conntrack.evidence.childMode, '0444');
  assert.equal(conntrack.evidence.kernelRelease, probe.kernelRelease);

  const backlog = classify('net.core.netdev_max_backlog');
  assert.equal(backlog.classification.childVisibility, 'absent');
  assert.equal(backlog.classification.source, 'probe');
  assert.equal(backlog.evidence.childMode, null);

  const somaxconn = classify('net.core.somaxconn');
  assert.deepEqual(
    [somaxconn.classification.scope, somaxconn.classification.childVisibility],
    ['net', 'isolated'],
  );

  // What a new namespace starts with, read in the same child: the values a fresh netns/ipc ns shows itself.
  const fresh = (command: string): string =>
    execFileSync('unshare', ['--net', '--ipc', '--', 'cat', command], { encoding: 'utf8' }).trim();
  assert.equal(probe.childValues.get('net.core.somaxconn'), fresh('/proc/sys/net/core/somaxconn'));
  assert.equal(probe.childValues.get('kernel.msgmnb'), fresh('/proc/sys/kernel/msgmnb'));
  assert.equal(probe.childValues.has('net.core.netdev_max_backlog'), false, 'absent in the child: no value');
  assert.equal(probe.childValues.has('vm.swappiness'), false, 'global keys are not read as defaults');

  const summary = summarizeProbe([...probe.hostModes.keys()].map((key) => ({ key, ...classify(key) })));
  t.diagnostic(`probe ${probe.durationMs.toFixed(1)} ms: ${JSON.stringify(summary)}`);
  assert.equal(summary.mirrored, 8);

  assert.deepEqual(ourChildren(), [], 'no unshare/find process left');
  assert.deepEqual(leakedNamespaces(namespacesBefore), [], 'no namespace left');
  assert.deepEqual(nsfsMounts(), mountsBefore, 'no namespace bind-mounted');
});

test('a probe that cannot finish in time rejects with reason timeout and kills its processes', async (t) => {
  if (!needsRoot(t)) return;
  await assert.rejects(probeKernel('/proc', 1), (error: unknown) => {
    assert.ok(error instanceof KernelProbeError);
    assert.equal(error.reason, 'timeout');
    return true;
  });
  assert.deepEqual(ourChildren(), []);
});

test('a procfs root without sys/ rejects with a clear reason', async () => {
  await assert.rejects(probeKernel('/nonexistent-proc', TIMEOUT_MS), /cannot read kernel release/);
});
